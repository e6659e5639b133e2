using System.Net;
using Amazon.DynamoDBv2;
using Amazon.S3;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Files.UploadFile;
using CleanCognito.Application.Files.Uploads;
using CleanCognito.Infrastructure.CognitoIdentity;
using CleanCognito.Infrastructure.Health;
using CleanCognito.Infrastructure.Notes;
using CleanCognito.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>The AWS services reached as the signed-in user, each through the one client factory (UserAwsClients): S3 and DynamoDB.</summary>
internal static class AwsServicesRegistration
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IHealthChecksBuilder health)
    {
        // Path-style addressing for a local endpoint (moto and the stand-in front serve no bucket subdomains).
        services.AddUserAwsService<AmazonS3Client, AmazonS3Config, StorageOptions>(S3FileStore.ServiceName, (config, storage) => config.ForcePathStyle = !string.IsNullOrWhiteSpace(storage.ServiceUrl))
            .AddScoped<UserBucket>()
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
        return services;
    }

    public static IServiceCollection AddNotes(this IServiceCollection services)
    {
        // The second service through the same factory as S3 (docs/adding-an-aws-service.md). Its page
        // tokens are protected with the app's Data Protection key ring.
        services.AddSingleton<NotePageTokens>();
        services.AddUserAwsService<AmazonDynamoDBClient, AmazonDynamoDBConfig, NotesOptions>(DynamoDbNoteStore.ServiceName)
            .AddScoped<INoteStore, DynamoDbNoteStore>();
        return services;
    }
}
