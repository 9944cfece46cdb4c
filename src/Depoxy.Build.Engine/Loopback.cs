using System.Net;
using System.Net.Sockets;

namespace Depoxy.Build.Engine;

public static class Loopback
{
    /// <summary>A port free on 127.0.0.1 right now, for servers the build or its tests start (never another address).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
