using System.Runtime.InteropServices;

namespace BidEngine.Server.Http;

/// <summary>
/// The system zlib (libz.so.1), looked up once at run time: deflate with its state reset between
/// answers (<c>deflateReset</c>), which <see cref="System.IO.Compression.GZipStream"/> cannot do.
/// Its C API has been stable since zlib 1.0. Only on 64-bit Linux, where <c>z_stream</c> has the
/// layout below (C <c>long</c> is 8 bytes); elsewhere <see cref="IsAvailable"/> is false and
/// answers are compressed with a GZipStream each.
/// </summary>
internal static unsafe class ZLib
{
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int Finish = 4;
    public const int Deflated = 8;

    /// <summary>sizeof(z_stream) on LP64: 8 pointers or longs of 8 bytes, 3 ints padded to 8.</summary>
    public const int StreamSize = 112;

    // Offsets of the fields this code writes or reads in z_stream (LP64).
    public const int NextIn = 0;
    public const int AvailIn = 8;
    public const int NextOut = 24;
    public const int AvailOut = 32;
    public const int TotalOut = 40;

    private static readonly nint Library = Load();

    public static readonly delegate* unmanaged<byte*> Version = (delegate* unmanaged<byte*>)Export("zlibVersion");
    public static readonly delegate* unmanaged<byte*, int, int, int, int, int, byte*, int, int> DeflateInit2 =
        (delegate* unmanaged<byte*, int, int, int, int, int, byte*, int, int>)Export("deflateInit2_");
    public static readonly delegate* unmanaged<byte*, int, int> Deflate = (delegate* unmanaged<byte*, int, int>)Export("deflate");
    public static readonly delegate* unmanaged<byte*, int> DeflateReset = (delegate* unmanaged<byte*, int>)Export("deflateReset");
    public static readonly delegate* unmanaged<byte*, int> DeflateEnd = (delegate* unmanaged<byte*, int>)Export("deflateEnd");
    public static readonly delegate* unmanaged<byte*, nuint, nuint> DeflateBound = (delegate* unmanaged<byte*, nuint, nuint>)Export("deflateBound");

    public static bool IsAvailable =>
        Version != null && DeflateInit2 != null && Deflate != null && DeflateReset != null && DeflateEnd != null && DeflateBound != null;

    private static nint Load() =>
        OperatingSystem.IsLinux() && Environment.Is64BitProcess && NativeLibrary.TryLoad("libz.so.1", out var handle) ? handle : 0;

    private static nint Export(string name) => Library != 0 && NativeLibrary.TryGetExport(Library, name, out var address) ? address : 0;
}
