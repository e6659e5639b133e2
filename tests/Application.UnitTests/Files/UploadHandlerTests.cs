using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Files.AbortUpload;
using CleanCognito.Application.Files.CompleteUpload;
using CleanCognito.Application.Files.ListUploadedParts;
using CleanCognito.Application.Files.SignParts;
using CleanCognito.Application.Files.StartUpload;
using CleanCognito.Application.Files.Uploads;

namespace CleanCognito.Application.UnitTests.Files;

public sealed class UploadHandlerTests
{
    private const string Prefix = $"private/{FakeCurrentIdentity.AliceIdentity}/";
    private const string BobIdentity = "us-east-1:22222222-2222-4222-8222-222222222222";
    private const long MiB = 1024 * 1024;
    private static readonly string ETag = "\"" + new string('a', 32) + "\"";
    private readonly FakeUploadStore _store = new();
    private readonly FakeCurrentIdentity _alice = new();
    private readonly DirectUploadLimit _limit = new(5L * 1024 * MiB);

    [Fact]
    public async Task Start_creates_the_upload_under_the_users_prefix_and_signs_the_first_parts()
    {
        var session = await Start("video.mp4", 100 * MiB, "video/mp4");

        _store.Uploads[session.UploadId].Key.Should().Be(Prefix + "video.mp4");
        _store.Uploads[session.UploadId].ContentType.Should().Be("video/mp4");
        session.PartSize.Should().Be(5 * MiB);
        session.PartCount.Should().Be(20);
        session.Parts.Select(p => p.PartNumber).Should().Equal(1, 2, 3, 4, 5, 6, 7, 8);
    }

    [Fact]
    public async Task Start_signs_only_the_parts_a_small_file_has()
    {
        var session = await Start("small.bin", 6 * MiB);
        session.PartCount.Should().Be(2);
        session.Parts.Should().HaveCount(2);
    }

    [Fact]
    public async Task Start_refuses_a_file_over_the_limit_before_creating_anything()
    {
        var act = async () => await Start("huge.bin", _limit.MaxBytes + 1);
        (await act.Should().ThrowAsync<FileTooLargeException>()).Which.MaxBytes.Should().Be(_limit.MaxBytes);
        _store.Uploads.Should().BeEmpty();
    }

    [Fact]
    public async Task Start_stores_an_odd_content_type_as_octet_stream()
    {
        var session = await Start("x.bin", 1, "text/html\r\nX-Evil: 1");
        _store.Uploads[session.UploadId].ContentType.Should().Be("application/octet-stream");
    }

    [Theory]
    [InlineData(1, 5 * MiB, 1)]
    [InlineData(5 * MiB, 5 * MiB, 1)]
    [InlineData(5 * MiB + 1, 5 * MiB, 2)]
    [InlineData(5L * 1024 * MiB, 5 * MiB, 1024)]
    [InlineData(5L * 1024 * 1024 * MiB, 525 * MiB, 9_987)]
    public void Part_plan_keeps_parts_at_least_5_MiB_and_at_most_10000(long size, long expectedPartSize, int expectedCount)
    {
        var plan = PartPlan.For(size);

        plan.PartSize.Should().Be(expectedPartSize);
        plan.PartCount.Should().Be(expectedCount);
        plan.PartCount.Should().BeLessThanOrEqualTo(PartPlan.MaxParts);
        (plan.PartSize * plan.PartCount).Should().BeGreaterThanOrEqualTo(size);
        (plan.PartSize % MiB).Should().Be(0);
    }

    [Fact]
    public async Task Complete_refuses_to_replace_an_existing_file_unless_asked()
    {
        var first = await Start("a.txt", 10);
        await Complete(first.UploadId, "a.txt", overwrite: false);

        var second = await Start("a.txt", 10);
        var act = async () => await Complete(second.UploadId, "a.txt", overwrite: false);
        (await act.Should().ThrowAsync<FileAlreadyExistsException>()).Which.FileName.Should().Be("a.txt");

        // The upload is still there, so Replace completes it.
        await Complete(second.UploadId, "a.txt", overwrite: true);
        _store.Objects.Should().Equal(Prefix + "a.txt");
    }

    [Fact]
    public async Task Another_users_upload_id_is_not_found_for_list_complete_or_abort()
    {
        var bobs = new FakeCurrentIdentity(BobIdentity);
        var bobSession = await new StartUploadCommandHandler(bobs, _store, _limit).Handle(new StartUploadCommand("b.txt", 10, null), CancellationToken.None);

        // Alice names the same file: her key is in her folder, so bob's id does not belong to it.
        var list = async () => await new ListUploadedPartsQueryHandler(_alice, _store).Handle(new ListUploadedPartsQuery("b.txt", bobSession.UploadId), CancellationToken.None);
        var complete = async () => await Complete(bobSession.UploadId, "b.txt", overwrite: true);
        var abort = async () => await new AbortUploadCommandHandler(_alice, _store).Handle(new AbortUploadCommand("b.txt", bobSession.UploadId), CancellationToken.None);

        await list.Should().ThrowAsync<NotFoundException>();
        await complete.Should().ThrowAsync<NotFoundException>();
        await abort.Should().ThrowAsync<NotFoundException>();
        _store.Uploads.Should().ContainKey(bobSession.UploadId);
        _store.Objects.Should().BeEmpty();
    }

    [Fact]
    public async Task Abort_drops_the_upload()
    {
        var session = await Start("a.txt", 10);
        await new AbortUploadCommandHandler(_alice, _store).Handle(new AbortUploadCommand("a.txt", session.UploadId), CancellationToken.None);

        _store.Uploads.Should().BeEmpty();
        var list = async () => await new ListUploadedPartsQueryHandler(_alice, _store).Handle(new ListUploadedPartsQuery("a.txt", session.UploadId), CancellationToken.None);
        await list.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task Sign_parts_signs_the_range_asked_for()
    {
        var session = await Start("big.bin", 100 * MiB);
        var urls = await new SignPartsCommandHandler(_alice, _store).Handle(new SignPartsCommand("big.bin", session.UploadId, 9, 20), CancellationToken.None);
        urls.Select(u => u.PartNumber).Should().Equal(Enumerable.Range(9, 12));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/abs")]
    [InlineData("")]
    public void Every_upload_validator_applies_the_name_rules(string name)
    {
        new StartUploadCommandValidator().Validate(new StartUploadCommand(name, 1, null)).IsValid.Should().BeFalse();
        new SignPartsCommandValidator().Validate(new SignPartsCommand(name, "id", 1, 1)).IsValid.Should().BeFalse();
        new CompleteUploadCommandValidator().Validate(new CompleteUploadCommand(name, "id", [new PartReceipt(1, ETag)], false)).IsValid.Should().BeFalse();
        new AbortUploadCommandValidator().Validate(new AbortUploadCommand(name, "id")).IsValid.Should().BeFalse();
        new ListUploadedPartsQueryValidator().Validate(new ListUploadedPartsQuery(name, "id")).IsValid.Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("id\r\nX-Evil: 1")]
    [InlineData("id&partNumber=2")]
    public void Upload_ids_of_the_wrong_shape_are_refused(string uploadId)
    {
        new SignPartsCommandValidator().Validate(new SignPartsCommand("a.txt", uploadId, 1, 1)).IsValid.Should().BeFalse();
        new AbortUploadCommandValidator().Validate(new AbortUploadCommand("a.txt", uploadId)).IsValid.Should().BeFalse();
        new ListUploadedPartsQueryValidator().Validate(new ListUploadedPartsQuery("a.txt", uploadId)).IsValid.Should().BeFalse();
    }

    [Fact]
    public void A_real_looking_upload_id_is_accepted() =>
        new AbortUploadCommandValidator().Validate(new AbortUploadCommand("a.txt", "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA-._~+/=")).IsValid.Should().BeTrue();

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 10_001)]
    [InlineData(5, 4)]
    [InlineData(1, 101)]
    public void Sign_parts_refuses_part_numbers_outside_1_to_10000_and_large_batches(int first, int last) =>
        new SignPartsCommandValidator().Validate(new SignPartsCommand("a.txt", "id", first, last)).IsValid.Should().BeFalse();

    [Fact]
    public void Complete_refuses_bad_part_lists()
    {
        var validator = new CompleteUploadCommandValidator();
        validator.Validate(new CompleteUploadCommand("a.txt", "id", [], false)).IsValid.Should().BeFalse("no parts");
        validator.Validate(new CompleteUploadCommand("a.txt", "id", [new PartReceipt(2, ETag), new PartReceipt(1, ETag)], false)).IsValid.Should().BeFalse("out of order");
        validator.Validate(new CompleteUploadCommand("a.txt", "id", [new PartReceipt(1, ETag), new PartReceipt(1, ETag)], false)).IsValid.Should().BeFalse("twice");
        validator.Validate(new CompleteUploadCommand("a.txt", "id", [new PartReceipt(10_001, ETag)], false)).IsValid.Should().BeFalse("past 10,000");
        validator.Validate(new CompleteUploadCommand("a.txt", "id", [new PartReceipt(1, "\"<xml/>\"")], false)).IsValid.Should().BeFalse("not an ETag");
        var tooMany = Enumerable.Range(1, 10_001).Select(n => new PartReceipt(n, ETag)).ToList();
        validator.Validate(new CompleteUploadCommand("a.txt", "id", tooMany, false)).IsValid.Should().BeFalse("more than 10,000 parts");
        validator.Validate(new CompleteUploadCommand("a.txt", "id", [new PartReceipt(1, ETag), new PartReceipt(3, new string('F', 32))], false)).IsValid.Should().BeTrue();
    }

    private ValueTask<UploadSession> Start(string name, long size, string? type = null) =>
        new StartUploadCommandHandler(_alice, _store, _limit).Handle(new StartUploadCommand(name, size, type), CancellationToken.None);

    private async Task Complete(string uploadId, string name, bool overwrite) =>
        await new CompleteUploadCommandHandler(_alice, _store).Handle(new CompleteUploadCommand(name, uploadId, [new PartReceipt(1, ETag)], overwrite), CancellationToken.None);
}
