using System.Net;
using System.Net.Sockets;

namespace CleanCognito.TestSupport;

/// <summary>Free TCP ports on 127.0.0.1, for servers the tests start.</summary>
public static class FreePort
{
    /// <summary>Asks the OS for <paramref name="count"/> distinct free ports (held together so they differ).</summary>
    public static int[] Pick(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    public static int Pick() => Pick(1)[0];
}
