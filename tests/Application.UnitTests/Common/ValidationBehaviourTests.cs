using CleanCognito.Application.Common.Behaviours;
using FluentValidation;
using Mediator;
using ValidationException = CleanCognito.Application.Common.Exceptions.ValidationException;

namespace CleanCognito.Application.UnitTests.Common;

public sealed class ValidationBehaviourTests
{
    public sealed record Rename(string Id, string Name) : ICommand<string>;

    private sealed class RenameValidator : AbstractValidator<Rename>
    {
        public RenameValidator()
        {
            RuleFor(r => r.Id).NotEmpty().WithMessage("Id is required.");
            RuleFor(r => r.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(5).WithMessage("Name is too long.");
        }
    }

    private sealed class NameNotReservedValidator : AbstractValidator<Rename>
    {
        public NameNotReservedValidator()
        {
            RuleFor(r => r.Name).NotEqual("admin").WithMessage("Name is reserved.");
        }
    }

    private int _handlerCalls;

    private ValueTask<string> Handler(Rename message, CancellationToken cancellationToken)
    {
        _handlerCalls++;
        return ValueTask.FromResult("handled");
    }

    [Fact]
    public async Task Throws_a_ValidationException_with_the_errors_per_property_and_does_not_call_the_handler()
    {
        var behaviour = new ValidationBehaviour<Rename, string>([new RenameValidator(), new NameNotReservedValidator()]);

        var act = async () => await behaviour.Handle(new Rename("", "admin-too-long"), Handler, CancellationToken.None);

        var thrown = (await act.Should().ThrowAsync<ValidationException>()).Which;
        thrown.Errors.Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["Id"] = ["Id is required."],
            ["Name"] = ["Name is too long."],
        });
        _handlerCalls.Should().Be(0);
    }

    [Fact]
    public async Task Collects_the_failures_of_every_validator()
    {
        var behaviour = new ValidationBehaviour<Rename, string>([new RenameValidator(), new NameNotReservedValidator()]);

        var act = async () => await behaviour.Handle(new Rename("x", "admin"), Handler, CancellationToken.None);

        (await act.Should().ThrowAsync<ValidationException>()).Which.Errors["Name"].Should().Equal("Name is reserved.");
        _handlerCalls.Should().Be(0);
    }

    [Fact]
    public async Task Calls_the_handler_when_the_request_is_valid()
    {
        var behaviour = new ValidationBehaviour<Rename, string>([new RenameValidator()]);

        var result = await behaviour.Handle(new Rename("x", "ok"), Handler, CancellationToken.None);

        result.Should().Be("handled");
        _handlerCalls.Should().Be(1);
    }

    [Fact]
    public async Task Calls_the_handler_when_no_validator_is_registered()
    {
        var behaviour = new ValidationBehaviour<Rename, string>([]);

        (await behaviour.Handle(new Rename("", ""), Handler, CancellationToken.None)).Should().Be("handled");
    }
}
