namespace SimpleAi.Webhooks.Ingest;

/// <summary>Reads a request body once, refusing to read past a size limit.</summary>
internal static class RequestBody
{
    private const int ChunkSize = 16 * 1024;

    public enum Status
    {
        Complete,
        TooLarge,
        Truncated,
    }

    /// <summary>
    /// With a declared length the body lands in one exact-size array; without one (chunked), it is read in chunks
    /// and given up as soon as it passes <paramref name="limit"/>.
    /// </summary>
    public static async Task<(Status Status, ReadOnlyMemory<byte> Body)> ReadAsync(
        Stream stream, long? declaredLength, int limit, CancellationToken cancellationToken)
    {
        if (declaredLength > limit)
        {
            return (Status.TooLarge, default);
        }

        return declaredLength is { } length
            ? await ReadDeclaredAsync(stream, (int)length, cancellationToken)
            : await ReadChunkedAsync(stream, limit, cancellationToken);
    }

    private static async Task<(Status, ReadOnlyMemory<byte>)> ReadDeclaredAsync(
        Stream stream, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var read = await stream.ReadAtLeastAsync(buffer, length, throwOnEndOfStream: false, cancellationToken);
        return read < length ? (Status.Truncated, default) : (Status.Complete, buffer);
    }

    private static async Task<(Status, ReadOnlyMemory<byte>)> ReadChunkedAsync(
        Stream stream, int limit, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream(ChunkSize);
        var chunk = new byte[ChunkSize];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (Status.TooLarge, default);
            }

            buffer.Write(chunk, 0, read);
        }

        return (Status.Complete, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }
}
