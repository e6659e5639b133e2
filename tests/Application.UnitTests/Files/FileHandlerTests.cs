using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Files.DeleteFile;
using CleanCognito.Application.Files.GetDownloadUrl;
using CleanCognito.Application.Files.ListFiles;
using CleanCognito.Application.Files.UploadFile;
using Microsoft.Extensions.Time.Testing;

namespace CleanCognito.Application.UnitTests.Files;

public sealed class FileHandlerTests
{
    private const string Prefix = $"private/{FakeCurrentIdentity.AliceIdentity}/";
    private readonly FakeFileStore _store = new();
    private readonly FakeCurrentIdentity _identity = new();
    private readonly UploadLimit _limit = new(1024);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Upload_stores_the_file_under_the_users_prefix()
    {
        await Upload("notes.txt", "hello"u8.ToArray());

        _store.Objects.Keys.Should().Equal(Prefix + "notes.txt");
        _store.LastContentType.Should().Be("text/plain");
    }

    [Fact]
    public async Task Upload_refuses_to_replace_a_file_unless_asked()
    {
        await Upload("notes.txt", "one"u8.ToArray());

        var act = async () => await Upload("notes.txt", "two"u8.ToArray());
        (await act.Should().ThrowAsync<FileAlreadyExistsException>()).Which.FileName.Should().Be("notes.txt");
        _store.Objects[Prefix + "notes.txt"].Should().Equal("one"u8.ToArray());

        await Upload("notes.txt", "two"u8.ToArray(), overwrite: true);
        _store.Objects[Prefix + "notes.txt"].Should().Equal("two"u8.ToArray());
        // The store's conditional write decides; a check before it would race and, on S3, be a 403.
        _store.ExistenceChecks.Should().Be(0);
    }

    [Fact]
    public async Task Upload_refuses_a_file_over_the_limit_before_reading_it()
    {
        var act = async () => await Upload("big.bin", new byte[_limit.MaxBytes + 1]);
        await act.Should().ThrowAsync<FileTooLargeException>();
        _store.Objects.Should().BeEmpty();
    }

    [Fact]
    public async Task Upload_stores_an_odd_content_type_as_octet_stream()
    {
        await Upload("x.bin", [1], contentType: "text/html\r\nX-Evil: 1");
        _store.LastContentType.Should().Be("application/octet-stream");
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/absolute")]
    [InlineData("a\\b")]
    public void Upload_validator_rejects_names_outside_the_rules(string name) =>
        new UploadFileCommandValidator().Validate(new UploadFileCommand(name, Stream.Null, 1, null, false)).IsValid.Should().BeFalse();

    [Fact]
    public void Upload_validator_rejects_an_empty_file()
    {
        var result = new UploadFileCommandValidator().Validate(new UploadFileCommand("empty.txt", Stream.Null, 0, null, false));
        result.Errors.Should().ContainSingle(e => e.PropertyName == "Length").Which.ErrorMessage.Should().Contain("empty");
    }

    [Fact]
    public async Task List_asks_for_the_users_folder_with_the_default_page_size()
    {
        await Upload("a.txt", [1]);
        _store.Objects["private/us-east-1:22222222-2222-4222-8222-222222222222/theirs.txt"] = [2];

        var page = await new ListFilesQueryHandler(_identity, _store).Handle(new ListFilesQuery(), CancellationToken.None);

        page.Files.Select(f => f.Name).Should().Equal("a.txt");
        _store.Lists.Should().ContainSingle().Which.Should().Be((_store.Lists[0].Folder, 25, (string?)null));
        _store.Lists[0].Folder.Prefix.Should().Be(Prefix);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void List_validator_rejects_page_sizes_s3_cannot_serve(int size) =>
        new ListFilesQueryValidator().Validate(new ListFilesQuery(size)).IsValid.Should().BeFalse();

    [Fact]
    public async Task Download_and_delete_work_inside_the_users_folder()
    {
        await Upload("a.txt", [1]);

        var link = await new GetDownloadUrlQueryHandler(_identity, _store).Handle(new GetDownloadUrlQuery("a.txt"), CancellationToken.None);
        link.Url.AbsolutePath.Should().Contain(Prefix + "a.txt");

        await new DeleteFileCommandHandler(_identity, _store).Handle(new DeleteFileCommand("a.txt"), CancellationToken.None);
        _store.Objects.Should().BeEmpty();
    }

    [Fact]
    public async Task Delete_of_a_name_not_in_the_folder_is_not_found_and_deletes_nothing()
    {
        _store.Objects["private/us-east-1:22222222-2222-4222-8222-222222222222/a.txt"] = [1];

        var act = async () => await new DeleteFileCommandHandler(_identity, _store).Handle(new DeleteFileCommand("a.txt"), CancellationToken.None);

        (await act.Should().ThrowAsync<NotFoundException>()).Which.Message.Should().Be("There is no file named \"a.txt\" in your folder.");
        _store.Objects.Should().ContainSingle();
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("")]
    public void Download_and_delete_validators_reject_bad_names(string name)
    {
        new GetDownloadUrlQueryValidator().Validate(new GetDownloadUrlQuery(name)).IsValid.Should().BeFalse();
        new DeleteFileCommandValidator().Validate(new DeleteFileCommand(name)).IsValid.Should().BeFalse();
    }

    private async Task Upload(string name, byte[] content, bool overwrite = false, string contentType = "text/plain")
    {
        using var stream = new MemoryStream(content);
        await new UploadFileCommandHandler(_identity, _store, _limit, _time)
            .Handle(new UploadFileCommand(name, stream, content.Length, contentType, overwrite), CancellationToken.None);
    }
}
