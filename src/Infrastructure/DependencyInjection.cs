using System.Net;
using System.Text;
using Amazon.KeyManagementService;
using CleanCognito.Application.Common.Concurrency;
using CleanCognito.Application.Common.Credentials;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Sessions;
using CleanCognito.Application.Common.Telemetry;
using CleanCognito.Application.Files.UploadFile;
using CleanCognito.Application.Files.Uploads;
using Amazon.DynamoDBv2;
using Amazon.S3;
using CleanCognito.Infrastructure.AppSync;
using CleanCognito.Infrastructure.Aws;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.Infrastructure.CognitoIdentity;
using CleanCognito.Infrastructure.DataProtection;
using CleanCognito.Infrastructure.Health;
using CleanCognito.Infrastructure.Http;
using CleanCognito.Infrastructure.Notes;
using CleanCognito.Infrastructure.Redis;
using CleanCognito.Infrastructure.Storage;
using CleanCognito.Infrastructure.Telemetry;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Polly;
using Refit;

namespace CleanCognito.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Registers every adapter behind the Application ports, with its options and health check.</summary>
    public static IServiceCollection AddInfrastructureServices(this IServiceCollection services)
    {
        // The factory's per-request logging handlers write only at Information and below, which the
        // configured level (System.Net.Http.HttpClient: Warning) drops; they still opened a logging
        // scope and timed every upstream call (docs/BENCHMARKS.md, issue 16's second pass). Failures
        // are logged by the adapters themselves, without URLs.
        services.ConfigureHttpClientDefaults(client => client.RemoveAllLoggers());
        services.AddQuietResilienceLogging();
        services.AddHttpClient(UpstreamHealthCheck.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(3));
        services.TryAddSingleton(TimeProvider.System);
        // The adapters count what they do (Telemetry/); a host registers the meter factory already,
        // a bare service collection (tests, tools) gets one here. Both calls are idempotent.
        services.AddMetrics();
        services.TryAddSingleton<AppMetrics>();
        var health = services.AddHealthChecks();

        services.AddCognito(health);
        services.AddAppSync(health);
        services.AddCognitoIdentity(health);
        services.AddStorage(health);
        services.AddNotes();
        services.AddRedis();
        services.AddKeyRingEncryption();
        return services;
    }

    /// <summary>
    /// KMS for the Data Protection key ring (<c>DataProtection:KmsKeyId</c>); Web hands the encryptor to
    /// the framework. Nothing calls KMS unless a key is written or a KMS-encrypted key is read.
    /// </summary>
    private static void AddKeyRingEncryption(this IServiceCollection services)
    {
        services.AddOptions<KeyRingEncryptionOptions>().BindConfiguration(KeyRingEncryptionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyRingEncryptionOptions>, KeyRingEncryptionOptionsValidator>();
        services.AddKeyedSingleton<IAmazonKeyManagementService>(KeyRingKms.ClientKey, (sp, _) => KeyRingKms.CreateClient(
            sp.GetRequiredService<IOptions<KeyRingEncryptionOptions>>().Value,
            sp.GetRequiredService<IOptions<CognitoOptions>>().Value));
        services.AddSingleton<KeyRingKms>();
    }

    /// <summary>The optional shared store; nothing connects to it unless <c>Redis:Configuration</c> is set.</summary>
    private static void AddRedis(this IServiceCollection services)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        services.AddSingleton<RedisConnection>();

        // One primitive for "once across instances" (credential exchange, token refresh): Redis when
        // configured, this process otherwise. Results are encrypted with Data Protection (keys set up by Web).
        services.AddOptions<SharedStoreOptions>();
        services.AddDataProtection();
        services.AddSingleton<RedisOutage>();
        services.AddSingleton<InProcessFlight>();
        services.AddSingleton<RedisSharedFlight>();
        services.AddSingleton<ISharedFlight>(sp => sp.GetRequiredService<RedisConnection>().IsConfigured
            ? sp.GetRequiredService<RedisSharedFlight>()
            : sp.GetRequiredService<InProcessFlight>());

        // The credential cache's entries: HybridCache in memory, with Redis as its second level when
        // configured (on the one shared connection). Without Redis the store never asks the L2.
        services.AddHybridCache().AddSerializer<CachedCredentials, ProtectedCredentialsSerializer>();
        services.AddSingleton<IDistributedCache>(sp =>
        {
            var redis = sp.GetRequiredService<RedisConnection>();
            return redis.IsConfigured
                ? new DegradingDistributedCache(
                    new RedisCache(Options.Create(new RedisCacheOptions
                    {
                        ConnectionMultiplexerFactory = () => Task.FromResult(redis.Multiplexer),
                        InstanceName = "CleanCognito:",
                    })),
                    redis,
                    sp.GetRequiredService<RedisOutage>())
                : new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        });
        services.AddSingleton<ICredentialStore, HybridCredentialStore>();

        // The sign-out denylist: shared through Redis when it is configured (the Application layer's
        // in-memory one otherwise). Its hosted side keeps the per-request mirror in step.
        services.AddSingleton<RedisSignedOutSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisSignedOutSessions>());
        services.Replace(ServiceDescriptor.Singleton<ISignedOutSessions>(sp => sp.GetRequiredService<RedisConnection>().IsConfigured
            ? sp.GetRequiredService<RedisSignedOutSessions>()
            : sp.GetRequiredService<InMemorySignedOutSessions>()));
    }

    private static void AddCognito(this IServiceCollection services, IHealthChecksBuilder health)
    {
        services.AddOptions<CognitoOptions>().BindConfiguration(CognitoOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CognitoOptions>, CognitoOptionsValidator>();

        services.AddHttpClient(UserPoolMetadata.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));

        // One discovery/JWKS cache for the sign-in handler and the cookie validator alike.
        services.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(UserPoolMetadata.Create);
        services.AddSingleton<ISigningKeySource, SigningKeyCache>();
        services.AddSingleton<ValidatedTokenCache>();
        services.AddSingleton<CognitoTokenValidator>();

        services.AddRefitGeneratedClient<IUserPoolTokenApi>(UserPoolJsonContext.Default)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<CognitoOptions>>().Value.DomainUri)
            .AddStandardResilienceHandler()
            .Configure(resilience =>
            {
                // A sign-in code is single-use and a refresh may rotate the token: never resend a POST.
                resilience.Retry.DisableForUnsafeHttpMethods();
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
            });
        services.AddScoped<UserPoolClient>();
        // Counted and traced (Telemetry/): a refresh that reaches the pool is the number the quotas care about.
        services.AddScoped<IUserPoolClient>(sp => new InstrumentedUserPoolClient(sp.GetRequiredService<UserPoolClient>(), sp.GetRequiredService<AppMetrics>()));
        services.AddSingleton(sp => new SignOutPolicy(TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<CognitoOptions>>().Value.RefreshCookieAgeSeconds)));

        health.AddUpstream("cognito", sp => new HttpRequestMessage(
            HttpMethod.Get,
            sp.GetRequiredService<IOptions<CognitoOptions>>().Value.EffectiveMetadataAddress));
    }

    private static void AddAppSync(this IServiceCollection services, IHealthChecksBuilder health)
    {
        services.AddOptions<AppSyncOptions>().BindConfiguration(AppSyncOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AppSyncOptions>, AppSyncOptionsValidator>();

        services.AddRefitGeneratedClient<IAppSyncApi>(AppSyncJsonContext.Default)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = new Uri(sp.GetRequiredService<IOptions<AppSyncOptions>>().Value.Endpoint))
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
            {
                var options = sp.GetRequiredService<IOptions<AppSyncOptions>>().Value;
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * options.AttemptTimeoutSeconds));
                resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxQueryRetries);
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.Retry.UseJitter = true;

                // A mutation that timed out may still have been applied: never send it again.
                var retryTransient = resilience.Retry.ShouldHandle;
                resilience.Retry.ShouldHandle = args =>
                    IsMutation(args.Context) || options.MaxQueryRetries == 0 ? PredicateResult.False() : retryTransient(args);
            });

        services.AddScoped<IGraphQlGateway, AppSyncGraphQlGateway>();

        health.AddUpstream("appsync", sp => new HttpRequestMessage(
            HttpMethod.Post,
            sp.GetRequiredService<IOptions<AppSyncOptions>>().Value.Endpoint));
    }

    private static void AddCognitoIdentity(this IServiceCollection services, IHealthChecksBuilder health)
    {
        services.AddOptions<IdentityPoolOptions>().BindConfiguration(IdentityPoolOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdentityPoolOptions>, IdentityPoolOptionsValidator>();

        services.AddRefitGeneratedClient<ICognitoIdentityApi>(CognitoIdentityJsonContext.Default)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<IdentityPoolOptions>>().Value.EffectiveServiceUrl)
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
            {
                var options = sp.GetRequiredService<IOptions<IdentityPoolOptions>>().Value;
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(Math.Min(4, options.TimeoutSeconds));
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
                resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.Retry.BackoffType = DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;

                // Both operations only read, so repeating them is safe. Cognito Identity signals
                // throttling as TooManyRequestsException, which may come as a 400, not only a 429.
                var retryTransient = resilience.Retry.ShouldHandle;
                resilience.Retry.ShouldHandle = async args =>
                    options.MaxRetries > 0
                    && (await retryTransient(args)
                        || (args.Outcome.Result is { } response && await CognitoIdentityErrors.IsThrottlingAsync(response, args.Context.CancellationToken)));
            });

        // Singleton, because the credential cache (a singleton) depends on it; counted and traced per call.
        services.AddSingleton<ICredentialExchange>(sp => new InstrumentedCredentialExchange(
            new CognitoIdentityCredentialExchange(
                sp.GetRequiredService<ICognitoIdentityApi>,
                sp.GetRequiredService<IOptions<IdentityPoolOptions>>(),
                sp.GetRequiredService<ILogger<CognitoIdentityCredentialExchange>>()),
            sp.GetRequiredService<AppMetrics>()));
        // The credential cache (Application) is registered there; its policy is a setting, read here only.
        services.AddSingleton(sp => new CredentialCachePolicy(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<IdentityPoolOptions>>().Value.RefreshMarginSeconds)));

        // An empty GetId: a 400 proves the service is there.
        health.AddUpstream("cognito-identity", sp =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, sp.GetRequiredService<IOptions<IdentityPoolOptions>>().Value.EffectiveServiceUrl)
            {
                Content = new StringContent("{}", Encoding.UTF8, CognitoIdentityWire.ContentType),
            };
            request.Headers.Add("X-Amz-Target", CognitoIdentityWire.GetIdTarget);
            return request;
        });
    }

    private static void AddStorage(this IServiceCollection services, IHealthChecksBuilder health)
    {
        // Path-style addressing for a local endpoint (moto and the stand-in front serve no bucket subdomains).
        services.AddUserAwsService<AmazonS3Client, AmazonS3Config, StorageOptions>(S3FileStore.ServiceName, (config, storage) => config.ForcePathStyle = !string.IsNullOrWhiteSpace(storage.ServiceUrl))
            .AddScoped<IFileStore, S3FileStore>()
            .AddScoped<IUploadStore, S3UploadStore>();
        // The one place Storage:MaxUploadBytes is read; the handler, the page and its filter share it.
        services.AddSingleton(sp => new UploadLimit(sp.GetRequiredService<IOptions<StorageOptions>>().Value.MaxUploadBytes));
        services.AddSingleton(sp => new DirectUploadLimit(sp.GetRequiredService<IOptions<StorageOptions>>().Value.MaxDirectUploadBytes));
        services.AddSingleton(sp => S3UploadOrigin.From(sp.GetRequiredService<AwsService<AmazonS3Client>>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value));

        // An unsigned HEAD of the bucket: 403 (or 200 locally) proves S3 is there.
        health.AddUpstream("s3", sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var region = string.IsNullOrWhiteSpace(storage.Region)
                ? sp.GetRequiredService<IOptions<IdentityPoolOptions>>().Value.EffectiveRegion
                : storage.Region;
            var url = string.IsNullOrWhiteSpace(storage.ServiceUrl)
                ? $"https://{storage.BucketName}.s3.{region}.amazonaws.com/"
                : $"{storage.ServiceUrl.TrimEnd('/')}/{WebUtility.UrlEncode(storage.BucketName)}";
            return new HttpRequestMessage(HttpMethod.Head, url);
        });
    }

    private static void AddNotes(this IServiceCollection services)
    {
        // The second service through the same factory as S3 (docs/adding-an-aws-service.md). Its page
        // tokens are protected with the app's Data Protection key ring.
        services.AddSingleton<NotePageTokens>();
        services.AddUserAwsService<AmazonDynamoDBClient, AmazonDynamoDBConfig, NotesOptions>(DynamoDbNoteStore.ServiceName)
            .AddScoped<INoteStore, DynamoDbNoteStore>();
    }

    private static bool IsMutation(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(new HttpRequestOptionsKey<bool>(AppSyncRequestOptions.IsMutation), out var isMutation) == true
        && isMutation;
}
