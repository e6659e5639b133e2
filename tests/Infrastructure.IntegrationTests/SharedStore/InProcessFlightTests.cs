using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.SharedStore.Flights;
using Microsoft.Extensions.Time.Testing;

namespace CleanCognito.Infrastructure.IntegrationTests.SharedStore;

public sealed class InProcessFlightTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 18, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Fifty_concurrent_callers_run_the_work_once_and_all_get_its_result()
    {
        var flight = new InProcessFlight(_time);
        var runs = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 50)
            .Select(_ => flight.RunAsync("test:a", async _ =>
            {
                var run = Interlocked.Increment(ref runs);
                await release.Task;
                return new SharedResult<string>($"run {run}", TimeSpan.Zero);
            }, CancellationToken.None))
            .ToList();

        // Every caller is in before the work may finish: none of them can have come late.
        callers.Should().OnlyContain(c => !c.IsCompleted);
        release.SetResult();
        var results = await Task.WhenAll(callers);

        runs.Should().Be(1);
        results.Should().OnlyContain(r => r == "run 1");
    }

    [Fact]
    public async Task A_result_is_reused_for_its_reuse_time_and_no_longer()
    {
        var flight = new InProcessFlight(_time);
        var runs = 0;
        Task<SharedResult<int>> Work(CancellationToken _) => Task.FromResult(new SharedResult<int>(Interlocked.Increment(ref runs), TimeSpan.FromMinutes(1)));

        (await flight.RunAsync("test:a", Work, CancellationToken.None)).Should().Be(1);
        _time.Advance(TimeSpan.FromSeconds(59));
        (await flight.RunAsync("test:a", Work, CancellationToken.None)).Should().Be(1, "still inside the reuse time");
        _time.Advance(TimeSpan.FromSeconds(1));
        (await flight.RunAsync("test:a", Work, CancellationToken.None)).Should().Be(2, "the reuse time is over");
        (await flight.RunAsync("test:b", Work, CancellationToken.None)).Should().Be(3, "another key is another flight");
    }

    [Fact]
    public async Task A_result_with_no_reuse_time_goes_to_current_waiters_only()
    {
        var flight = new InProcessFlight(_time);
        var runs = 0;
        Task<SharedResult<int>> Work(CancellationToken _) => Task.FromResult(new SharedResult<int>(Interlocked.Increment(ref runs), TimeSpan.Zero));

        (await flight.RunAsync("test:a", Work, CancellationToken.None)).Should().Be(1);
        (await flight.RunAsync("test:a", Work, CancellationToken.None)).Should().Be(2);
    }

    [Fact]
    public async Task A_failure_reaches_the_callers_of_that_flight_and_is_not_remembered()
    {
        var flight = new InProcessFlight(_time);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failing = Enumerable.Range(0, 3)
            .Select(_ => flight.RunAsync<string>("test:a", async _ =>
            {
                await release.Task;
                throw new UpstreamUnavailableException("Cognito Identity", "down");
            }, CancellationToken.None))
            .ToList();
        release.SetResult();

        foreach (var caller in failing)
        {
            await caller.Invoking(async c => await c).Should().ThrowAsync<UpstreamUnavailableException>();
        }

        (await flight.RunAsync("test:a", _ => Task.FromResult(new SharedResult<string>("ok", TimeSpan.FromMinutes(1))), CancellationToken.None))
            .Should().Be("ok", "the failure was not kept for the next caller");
    }

    [Fact]
    public async Task A_null_result_is_shared_like_any_other()
    {
        var flight = new InProcessFlight(_time);
        var runs = 0;
        Task<SharedResult<string?>> Refused(CancellationToken _)
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult(new SharedResult<string?>(null, TimeSpan.FromSeconds(10)));
        }

        (await flight.RunAsync("refresh:a", Refused, CancellationToken.None)).Should().BeNull();
        (await flight.RunAsync("refresh:a", Refused, CancellationToken.None)).Should().BeNull();
        runs.Should().Be(1);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_work_for_the_others()
    {
        var flight = new InProcessFlight(_time);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<SharedResult<string>> Work(CancellationToken token)
        {
            workToken.TrySetResult(token);
            await release.Task;
            return new SharedResult<string>("done", TimeSpan.Zero);
        }

        using var impatient = new CancellationTokenSource();
        var first = flight.RunAsync("test:a", Work, impatient.Token);
        var second = flight.RunAsync("test:a", Work, CancellationToken.None);
        await workToken.Task;
        await impatient.CancelAsync();

        await first.Invoking(async f => await f).Should().ThrowAsync<OperationCanceledException>();
        (await workToken.Task).IsCancellationRequested.Should().BeFalse();
        release.SetResult();
        (await second).Should().Be("done");
    }

    [Fact]
    public async Task Work_that_outlives_its_bound_is_cancelled_and_reported_as_an_outage()
    {
        var flight = new InProcessFlight(_time);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var caller = flight.RunAsync<string>("test:a", async token =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return new SharedResult<string>("never", TimeSpan.Zero);
        }, CancellationToken.None);
        await started.Task;

        _time.Advance(InProcessFlight.MaxWorkTime);

        await caller.Invoking(async c => await c).Should().ThrowAsync<UpstreamUnavailableException>();
        (await flight.RunAsync("test:a", _ => Task.FromResult(new SharedResult<string>("again", TimeSpan.Zero)), CancellationToken.None))
            .Should().Be("again");
    }
}
