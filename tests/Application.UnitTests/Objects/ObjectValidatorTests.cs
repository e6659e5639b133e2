using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Application.Objects.ListMyObjects;
using CleanCognito.Application.Objects.UpdateMyObjectName;

namespace CleanCognito.Application.UnitTests.Objects;

public sealed class ObjectValidatorTests
{
    [Theory]
    [InlineData("1234567890abcdef")]
    [InlineData("a")]
    [InlineData("A-z_0")]
    public void A_valid_id_passes(string id) =>
        new GetMyObjectQueryValidator().Validate(new GetMyObjectQuery(id)).IsValid.Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("ümlaut")]
    [InlineData("../etc")]
    public void An_invalid_id_fails_with_the_rule_in_words(string id)
    {
        var result = new GetMyObjectQueryValidator().Validate(new GetMyObjectQuery(id));

        result.Errors.Should().ContainSingle(e => e.PropertyName == "Id")
            .Which.ErrorMessage.Should().Contain("1 to 64");
    }

    [Fact]
    public void An_id_of_65_characters_fails() =>
        new GetMyObjectQueryValidator().Validate(new GetMyObjectQuery(new string('a', 65))).IsValid.Should().BeFalse();

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    public void Page_sizes_from_1_to_100_pass(int size) =>
        new ListMyObjectsQueryValidator().Validate(new ListMyObjectsQuery(size)).IsValid.Should().BeTrue();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public void Page_sizes_outside_1_to_100_fail(int size) =>
        new ListMyObjectsQueryValidator().Validate(new ListMyObjectsQuery(size)).Errors
            .Should().ContainSingle(e => e.PropertyName == nameof(ListMyObjectsQuery.PageSize));

    [Fact]
    public void The_default_page_size_is_10() => new ListMyObjectsQuery().PageSize.Should().Be(10);

    [Theory]
    [InlineData("")]
    [InlineData("tok\nen")]
    public void An_empty_or_control_character_token_fails(string token) =>
        new ListMyObjectsQueryValidator().Validate(new ListMyObjectsQuery(10, token)).IsValid.Should().BeFalse();

    [Fact]
    public void A_token_longer_than_the_bound_fails()
    {
        new ListMyObjectsQueryValidator().Validate(new ListMyObjectsQuery(10, new string('t', 2048))).IsValid.Should().BeTrue();
        new ListMyObjectsQueryValidator().Validate(new ListMyObjectsQuery(10, new string('t', 2049))).IsValid.Should().BeFalse();
    }

    [Theory]
    [InlineData("A")]
    [InlineData("Quarterly report #2")]
    [InlineData("Ünïcödé 名前 ✓")]
    public void A_valid_name_passes(string name) =>
        new UpdateMyObjectNameCommandValidator().Validate(new UpdateMyObjectNameCommand("abc", name)).IsValid.Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    [InlineData("del\u007f")]
    [InlineData("c1\u0085")]
    public void An_empty_blank_or_control_character_name_fails(string name) =>
        new UpdateMyObjectNameCommandValidator().Validate(new UpdateMyObjectNameCommand("abc", name)).Errors
            .Should().ContainSingle(e => e.PropertyName == "Name");

    [Fact]
    public void A_name_is_at_most_100_characters()
    {
        var validator = new UpdateMyObjectNameCommandValidator();
        validator.Validate(new UpdateMyObjectNameCommand("abc", new string('n', 100))).IsValid.Should().BeTrue();
        validator.Validate(new UpdateMyObjectNameCommand("abc", new string('n', 101))).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Renaming_checks_the_id_too() =>
        new UpdateMyObjectNameCommandValidator().Validate(new UpdateMyObjectNameCommand("bad id", "ok")).Errors
            .Should().ContainSingle(e => e.PropertyName == "Id");
}
