using System.Net;
using System.Text.Json;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Telemetry;
using CleanCognito.Infrastructure.Http;
using CleanCognito.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.AppSync;

/// <summary>
/// <see cref="IGraphQlGateway"/> over AppSync. Maps the transport once: 401 (after
/// <see cref="AppSyncAuthorizationHandler"/>'s one renewal and resend) → sign-in; no answer, 5xx or
/// unreadable JSON → 503. The token and its renewal are the handler's; this is about the protocol.
/// </summary>
internal sealed partial class AppSyncGraphQlGateway(
    IAppSyncApi api,
    IOptions<AppSyncOptions> options,
    AppMetrics metrics,
    ILogger<AppSyncGraphQlGateway> logger) : IGraphQlGateway
{
    private const string ServiceName = "AppSync";
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public Task<GraphQlResult<TData>> QueryAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class => SendAsync<TData>(operation, isMutation: false, cancellationToken);

    public Task<GraphQlResult<TData>> MutateAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class => SendAsync<TData>(operation, isMutation: true, cancellationToken);

    // Traced and counted like every upstream call (UpstreamCall); the errors counter below is AppSync's own detail.
    private Task<GraphQlResult<TData>> SendAsync<TData>(GraphQlOperation operation, bool isMutation, CancellationToken cancellationToken)
        where TData : class =>
        UpstreamCall.RunAsync(metrics, UpstreamName.AppSync, operation.OperationName, () => SendOnceAsync<TData>(operation, isMutation, cancellationToken));

    private async Task<GraphQlResult<TData>> SendOnceAsync<TData>(GraphQlOperation operation, bool isMutation, CancellationToken cancellationToken)
        where TData : class
    {
        var body = new AppSyncRequest(
            operation.Document,
            JsonSerializer.SerializeToElement(operation.Variables, JsonOptions),
            operation.OperationName);

        using (var response = await PostAsync(body, isMutation, cancellationToken))
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                metrics.AppSyncError("http_401", operation.OperationName);
                throw new SignInRequiredException("AppSync did not accept the session.");
            }

            // AppSync answers 400 with errors[] for a document it rejects; that is readable.
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.BadRequest)
            {
                LogUpstreamStatus(logger, operation.OperationName, (int)response.StatusCode);
                metrics.AppSyncError($"http_{(int)response.StatusCode}", operation.OperationName);
                throw new UpstreamUnavailableException(ServiceName, $"AppSync answered HTTP {(int)response.StatusCode} to {operation.OperationName}.");
            }

            return await ReadAsync<TData>(response, operation.OperationName, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(AppSyncRequest body, bool isMutation, CancellationToken cancellationToken)
    {
        try
        {
            return await api.PostAsync(body, isMutation, cancellationToken);
        }
        catch (Exception ex) when (TransportFailure.Is(ex, cancellationToken))
        {
            LogTransportFailure(logger, body.OperationName, ex.GetType().Name);
            metrics.AppSyncError("transport", body.OperationName);
            throw new UpstreamUnavailableException(ServiceName, $"AppSync did not answer {body.OperationName}.", ex);
        }
    }

    private async Task<GraphQlResult<TData>> ReadAsync<TData>(HttpResponseMessage response, string operationName, CancellationToken cancellationToken)
        where TData : class
    {
        // Refit hands the response over after the headers, so the resilience timeouts no longer
        // cover the body: a server that stalls mid-body gets one attempt's time, then it is down.
        using var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bodyTimeout.CancelAfter(TimeSpan.FromSeconds(options.Value.AttemptTimeoutSeconds));
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(bodyTimeout.Token);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: bodyTimeout.Token);
            return Parse<TData>(document.RootElement, operationName);
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, operationName, ex.GetType().Name);
            metrics.AppSyncError("unreadable", operationName);
            throw new UpstreamUnavailableException(ServiceName, "AppSync sent an answer the app could not read.", ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogTransportFailure(logger, operationName, ex.GetType().Name);
            metrics.AppSyncError("transport", operationName);
            throw new UpstreamUnavailableException(ServiceName, "AppSync did not finish its answer in time.", ex);
        }
    }

    private GraphQlResult<TData> Parse<TData>(JsonElement root, string operationName)
        where TData : class
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The response is not a JSON object.");
        }

        var data = root.TryGetProperty("data", out var dataElement) && dataElement.ValueKind == JsonValueKind.Object
            ? dataElement.Deserialize<TData>(JsonOptions)
            : null;
        var errors = root.TryGetProperty("errors", out var errorsElement) && errorsElement.ValueKind == JsonValueKind.Array
            ? errorsElement.EnumerateArray().Select(ReadError).ToList()
            : [];

        if (data is null && errors.Count == 0)
        {
            throw new JsonException("The response has neither data nor errors.");
        }

        if (errors.Count > 0)
        {
            // Types only: messages can carry resolver internals or user data.
            LogGraphQlErrors(logger, operationName, string.Join(", ", errors.Select(e => e.ErrorType ?? "unknown").Distinct()));
            foreach (var error in errors)
            {
                metrics.AppSyncError(error.ErrorType, operationName);
            }
        }

        return new GraphQlResult<TData>(data, errors);
    }

    private static GraphQlError ReadError(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return new GraphQlError("Unknown error", null, []);
        }

        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "Unknown error";
        var type = error.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var path = error.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Select(segment => segment.ToString()).ToList()
            : [];
        return new GraphQlError(message, type, path);
    }

    // Debug like the others here: the Web layer writes the one Warning per failed call (UpstreamOutage).
    [LoggerMessage(Level = LogLevel.Debug, Message = "AppSync answered HTTP {StatusCode} to {OperationName}")]
    private static partial void LogUpstreamStatus(ILogger logger, string operationName, int statusCode);

    // Debug, without the exception: the caller turns it into UpstreamUnavailableException, which the
    // web layer logs once as the Warning of this outage.
    [LoggerMessage(Level = LogLevel.Debug, Message = "AppSync did not answer {OperationName} ({ExceptionType})")]
    private static partial void LogTransportFailure(ILogger logger, string operationName, string exceptionType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "AppSync sent an unreadable answer to {OperationName} ({ExceptionType})")]
    private static partial void LogUnreadable(ILogger logger, string operationName, string exceptionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "AppSync returned errors of types {ErrorTypes} for {OperationName}")]
    private static partial void LogGraphQlErrors(ILogger logger, string operationName, string errorTypes);
}
