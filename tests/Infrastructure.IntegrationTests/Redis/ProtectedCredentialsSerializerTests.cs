using System.Buffers;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure.SharedStore;
using CleanCognito.Infrastructure.SharedStore.Credentials;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>The shared cache's encryption: an entry another key ring wrote, or a damaged one, reads as a miss.</summary>
public sealed class ProtectedCredentialsSerializerTests
{
    private static readonly CachedCredentials Entry = new(
        new IdentityCredentials("us-east-1:11111111-1111-4111-8111-111111111111", "ASIAEXAMPLE", "secret", "session", DateTimeOffset.UtcNow.AddHours(1)),
        DateTimeOffset.UtcNow.AddMinutes(55));

    [Fact]
    public void An_entry_written_with_this_key_ring_reads_back()
    {
        var serializer = Serializer(KeyRing());

        serializer.Deserialize(Write(serializer, Entry)).Should().Be(Entry);
    }

    [Fact]
    public void An_entry_written_with_a_key_ring_this_instance_lacks_is_a_miss()
    {
        var written = Write(Serializer(KeyRing()), Entry);

        Serializer(KeyRing()).Deserialize(written).Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("not encrypted at all")]
    public void A_damaged_entry_is_a_miss(string bytes)
    {
        Serializer(KeyRing()).Deserialize(new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(bytes))).Should().BeNull();
    }

    private static IDataProtectionProvider KeyRing() =>
        DataProtectionProvider.Create(Directory.CreateTempSubdirectory("cleancognito-serializer-keys-"), b => b.SetApplicationName("CleanCognito"));

    private static ProtectedCredentialsSerializer Serializer(IDataProtectionProvider keyRing) => new(keyRing, NullLogger<ProtectedCredentialsSerializer>.Instance);

    private static ReadOnlySequence<byte> Write(ProtectedCredentialsSerializer serializer, CachedCredentials entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(entry, buffer);
        return new ReadOnlySequence<byte>(buffer.WrittenMemory);
    }
}
