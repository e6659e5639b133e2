using System.Text;
using CleanCognito.Domain.Files;
using CsCheck;

namespace CleanCognito.Application.UnitTests.Files;

public sealed class FileNameTests
{
    private const string IdentityId = "us-east-1:6f1d8a52-3c4b-4e7a-9b0d-2f5c6e8a1b3d";
    private static readonly UserFolder Folder = UserFolder.For(IdentityId);

    // Characters that matter for escaping a prefix, plus ordinary and non-ASCII ones.
    private const string Tricky = "/..\\\0\n\t\r\u007f\u0085%2eaZ9 _-~:é漢\u202e\ud83d\ude00\ud800";

    private static readonly Gen<string> TrickyNames =
        Gen.Char[Tricky].Array[0, 40].Select(chars => new string(chars));

    private static readonly Gen<string> AnyNames =
        Gen.OneOf(TrickyNames, Gen.String, Gen.String[Gen.Char['\0', '\u00ff'], 0, 300]);

    [Theory]
    [InlineData("report.pdf")]
    [InlineData("photos/2026/cat.jpg")]
    [InlineData("..hidden")]
    [InlineData("a.")]
    [InlineData("résumé ✓.txt")]
    [InlineData("name with spaces")]
    public void Accepts_ordinary_names(string name) => FileName.Problem(name).Should().BeNull();

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("../other")]
    [InlineData("a/../../b")]
    [InlineData("./a")]
    [InlineData("a/.")]
    [InlineData("a//b")]
    [InlineData("folder/")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a\\b")]
    [InlineData("..\\..\\x")]
    [InlineData("tab\there")]
    [InlineData("new\nline")]
    [InlineData("nul\0")]
    [InlineData("del\u007f")]
    [InlineData("private/us-east-1:22222222-2222-4222-8222-222222222222/theirs.txt")]
    [InlineData("protected/us-east-1:x/a")]
    public void Refuses_names_that_could_leave_the_folder_or_cannot_be_stored(string name) =>
        FileName.Problem(name).Should().NotBeNull();

    [Fact]
    public void Refuses_a_lone_surrogate_which_has_no_utf8_form() =>
        // Not an InlineData: attribute strings are stored as UTF-8, which would replace the surrogate.
        FileName.Problem("lone\ud800surrogate").Should().NotBeNull();

    [Fact]
    public void Counts_the_limit_in_utf8_bytes_not_characters()
    {
        FileName.IsValid(new string('a', 255)).Should().BeTrue();
        FileName.IsValid(new string('a', 256)).Should().BeFalse();
        FileName.IsValid(new string('é', 127)).Should().BeTrue(); // 254 bytes
        FileName.IsValid(new string('é', 128)).Should().BeFalse(); // 256 bytes
    }

    [Fact]
    public void The_folder_refuses_an_identity_that_is_not_an_identity_pool_id()
    {
        var act = () => UserFolder.For("us-east-1:abc/../../other");
        act.Should().Throw<ArgumentException>();
        UserFolder.For(IdentityId).Prefix.Should().Be($"private/{IdentityId}/");
    }

    [Fact]
    public void Every_key_built_from_any_name_stays_inside_the_users_prefix() =>
        AnyNames.Sample(name =>
        {
            if (!FileName.IsValid(name))
            {
                var act = () => Folder.KeyFor(name);
                act.Should().Throw<ArgumentException>();
                return;
            }

            var key = Folder.KeyFor(name);
            key.Should().StartWith(Folder.Prefix);
            Folder.NameOf(key).Should().Be(name);
            // Also after a path-style normalisation (what a proxy, a tool or a file system might do).
            Normalise(key).Should().StartWith(Folder.Prefix);
            Encoding.UTF8.GetByteCount(name).Should().BeInRange(1, FileName.MaxBytes);
        }, iter: 20_000);

    [Fact]
    public void Names_built_from_traversal_pieces_are_valid_only_when_harmless() =>
        Gen.OneOf(Gen.Const(".."), Gen.Const("."), Gen.Const(""), Gen.Const("a"), Gen.Const("..a"), Gen.Const("\\"), Gen.Const("%2e%2e"))
            .Array[1, 6]
            .Select(parts => string.Join('/', parts))
            .Sample(name =>
            {
                var segments = name.Split('/');
                var harmless = segments.All(s => s is not ("" or "." or "..") && !s.Contains('\\', StringComparison.Ordinal));
                FileName.IsValid(name).Should().Be(harmless, "for {0}", name);
            }, iter: 5_000);

    /// <summary>Resolves "." and ".." segments and backslashes the way a careless path handler would.</summary>
    private static string Normalise(string key)
    {
        var stack = new List<string>();
        foreach (var segment in key.Replace('\\', '/').Split('/'))
        {
            if (segment == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }
            }
            else if (segment is not ("." or ""))
            {
                stack.Add(segment);
            }
        }

        return string.Join('/', stack) + (key.EndsWith('/') ? "/" : string.Empty);
    }
}
