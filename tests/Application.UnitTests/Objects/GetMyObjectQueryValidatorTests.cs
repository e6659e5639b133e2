using CleanCognito.Application.Objects.GetMyObject;

namespace CleanCognito.Application.UnitTests.Objects;

public sealed class GetMyObjectQueryValidatorTests
{
    private readonly GetMyObjectQueryValidator _validator = new();

    [Theory]
    [InlineData("1")]
    [InlineData("1234567890abcdef")]
    [InlineData("A-b_C-9")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Accepts_1_to_64_letters_digits_dashes_and_underscores(string id)
    {
        _validator.Validate(new GetMyObjectQuery(id)).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad id!")]
    [InlineData("a/b")]
    [InlineData("ümlaut")]
    [InlineData("id\"){ x }")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Refuses_ids_outside_the_rule_with_a_message_naming_it(string id)
    {
        var result = _validator.Validate(new GetMyObjectQuery(id));

        result.IsValid.Should().BeFalse();
        result.Errors.Should().ContainSingle()
            .Which.Should().Match<FluentValidation.Results.ValidationFailure>(f =>
                f.PropertyName == nameof(GetMyObjectQuery.Id) && f.ErrorMessage.Contains("1 to 64"));
    }

    [Fact]
    public void Refuses_a_null_id()
    {
        _validator.Validate(new GetMyObjectQuery(null!)).IsValid.Should().BeFalse();
    }
}
