using CleanCognito.Application.Notes.CreateNote;
using CleanCognito.Application.Notes.DeleteNote;
using CleanCognito.Application.Notes.GetNote;
using CleanCognito.Application.Notes.ListNotes;
using CleanCognito.Domain.Notes;

namespace CleanCognito.Application.UnitTests.Notes;

/// <summary>Every shape of bad input a form or a URL can carry gets a message, never an exception from deeper down.</summary>
public sealed class NoteValidatorTests
{
    public static TheoryData<string, string> BadTexts => new()
    {
        { "", "empty" },
        { "   \t\r\n  ", "cannot be empty" },
        { new string('x', 1001), "at most 1000" },
        { new string('x', 10_000), "at most 1000" },
        { "nul\0inside", "control characters" },
        { "escape \u001b[31m red", "control characters" },
        { "bell\a", "control characters" },
        { "delete\u007f", "control characters" },
        { "c1 \u0085 next line", "control characters" },
        { "vertical\vtab", "control characters" },
        { "form\ffeed", "control characters" },
        { "abc \u202Egnp.exe", "direction" },
        { "isolate \u2066x\u2069", "direction" },
    };

    [Theory]
    [MemberData(nameof(BadTexts))]
    public void Create_refuses_text_that_is_not_a_note(string text, string message)
    {
        var result = new CreateNoteCommandValidator().Validate(new CreateNoteCommand(text));

        result.IsValid.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.ErrorMessage.Should().Contain(message);
        result.Errors[0].PropertyName.Should().Be("Text");
    }

    /// <summary>Lone surrogates in a Fact: xunit would turn them into U+FFFD while it serializes theory data.</summary>
    [Fact]
    public void Create_refuses_half_of_a_character()
    {
        foreach (var text in new[] { "half " + (char)0xD83D + " of an emoji", "low " + (char)0xDE00 + " alone", "ends with " + (char)0xD83D })
        {
            var result = new CreateNoteCommandValidator().Validate(new CreateNoteCommand(text));
            result.Errors.Should().ContainSingle().Which.ErrorMessage.Should().Contain("half of a character");
        }
    }

    [Theory]
    [InlineData("x")]
    [InlineData("Line one\nline two\twith a tab")]
    [InlineData("Windows line breaks\r\nare fine")]
    [InlineData("Grüße, 日本語, emoji 👩‍👩‍👧 with joiners, العربية")]
    [InlineData("<script>alert(1)</script> is only text")]
    public void Create_accepts_ordinary_writing(string text)
    {
        new CreateNoteCommandValidator().Validate(new CreateNoteCommand(text)).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Length_is_counted_after_trimming_and_normalizing_line_breaks()
    {
        var exactly = new string('x', 999) + "\r\n" + "y";
        exactly.Length.Should().Be(1002);

        NoteText.Normalize(exactly).Length.Should().Be(1001);
        new CreateNoteCommandValidator().Validate(new CreateNoteCommand("  " + new string('x', 1000) + "  ")).IsValid.Should().BeTrue();
        new CreateNoteCommandValidator().Validate(new CreateNoteCommand(new string('x', 999) + "\r\ny")).IsValid.Should().BeFalse();
        new CreateNoteCommandValidator().Validate(new CreateNoteCommand(new string('x', 998) + "\r\ny")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void A_null_text_is_refused_with_a_message()
    {
        new CreateNoteCommandValidator().Validate(new CreateNoteCommand(null!)).IsValid.Should().BeFalse();
    }

    public static TheoryData<string?> BadIds => new()
    {
        null,
        "",
        " ",
        "1",
        "20261206T1308120000000Z-9f3a0c1",
        "20261206T1308120000000Z-9f3a0c1ez",
        "20261206T1308120000000Z-9F3A0C1E",
        "20261306T1308120000000Z-9f3a0c1e",
        "20261206T2508120000000Z-9f3a0c1e",
        "20261206t1308120000000z-9f3a0c1e",
        "20261206T1308120000000Z_9f3a0c1e",
        "../20261206T1308120000000Z-9f3a0c",
        "20261206T1308120000000Z-9f3a0c1e\n",
        "２0261206T1308120000000Z-9f3a0c1e",
        new string('2', 10_000),
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public void Delete_and_get_refuse_anything_that_is_not_a_note_id(string? id)
    {
        new DeleteNoteCommandValidator().Validate(new DeleteNoteCommand(id!)).IsValid.Should().BeFalse();
        new GetNoteQueryValidator().Validate(new GetNoteQuery(id!)).IsValid.Should().BeFalse();
    }

    [Fact]
    public void A_note_id_round_trips_its_time()
    {
        var at = new DateTimeOffset(2026, 12, 6, 13, 8, 12, 345, TimeSpan.Zero).AddTicks(6789);
        var id = NoteId.New(at, 0x9f3a0c1e);

        id.Value.Should().Be("20261206T1308123456789Z-9f3a0c1e");
        NoteId.IsValid(id.Value).Should().BeTrue();
        id.CreatedAt.Should().Be(at);
        new DeleteNoteCommandValidator().Validate(new DeleteNoteCommand(id.Value)).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Ids_sort_by_creation_time()
    {
        var earlier = NoteId.New(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero), uint.MaxValue);
        var later = NoteId.New(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero), 0);

        string.CompareOrdinal(earlier.Value, later.Value).Should().BeNegative();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(int.MaxValue)]
    public void List_refuses_a_page_size_out_of_range(int size)
    {
        new ListNotesQueryValidator().Validate(new ListNotesQuery(size)).IsValid.Should().BeFalse();
    }

    [Fact]
    public void List_refuses_a_token_far_longer_than_the_store_makes()
    {
        var result = new ListNotesQueryValidator().Validate(new ListNotesQuery(NextToken: new string('A', 10_000)));

        result.Errors.Should().ContainSingle().Which.ErrorMessage.Should().Be("That page link is not valid any more.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("CfDJ8anything-the-store-checks")]
    public void List_leaves_other_tokens_to_the_store_which_checks_their_protection(string? token)
    {
        new ListNotesQueryValidator().Validate(new ListNotesQuery(NextToken: token)).IsValid.Should().BeTrue();
    }
}
