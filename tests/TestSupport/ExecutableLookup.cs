namespace CleanCognito.TestSupport;

/// <summary>Finds a program on PATH, as the shell would.</summary>
public static class ExecutableLookup
{
    public static string? Find(string name)
    {
        if (System.IO.Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
