using System.Text;

namespace BidEngine.LoadTests.Corpus;

/// <summary>
/// Every body a run sends, built before it starts, in a seeded shuffled order; request i of the
/// schedule sends entry i mod Count, so the run itself only copies bytes to a socket.
/// </summary>
public sealed class RequestPool
{
    public RequestPool(IReadOnlyList<PreparedRequest> requests)
    {
        if (requests.Count == 0)
        {
            throw new ArgumentException("The request pool is empty.", nameof(requests));
        }

        Requests = requests;
    }

    public IReadOnlyList<PreparedRequest> Requests { get; }

    public int Count => Requests.Count;

    public PreparedRequest this[long index] => Requests[(int)(index % Requests.Count)];

    /// <summary>Distinct tmax values of the pool (null for absent), for the late-by-tmax table.</summary>
    public IEnumerable<int?> TmaxValues => Requests.Select(r => r.TmaxMs).Distinct();

    /// <summary>Corpus files, generated requests, or both, shuffled with the seed.</summary>
    public static RequestPool Build(string mix, string? corpusDirectory, int generatedCount, RequestGeneratorOptions generator)
    {
        var list = new List<PreparedRequest>();
        if (mix is "corpus" or "both")
        {
            if (corpusDirectory is null)
            {
                throw new ArgumentException("No corpus folder: pass --corpus DIR or use --mix generated.");
            }

            list.AddRange(CorpusLoader.Load(corpusDirectory));
        }

        if (mix is "generated" or "both")
        {
            list.AddRange(new RequestGenerator(generator).Generate(generatedCount));
        }

        if (mix is not ("corpus" or "generated" or "both"))
        {
            throw new ArgumentException($"Unknown --mix '{mix}' (corpus, generated or both).");
        }

        var array = list.ToArray();
        new Random(generator.Seed).Shuffle(array);
        return new RequestPool(array);
    }

    /// <summary>Adds the raw HTTP/1.1 bytes (head and body) for a target host and path.</summary>
    public RequestPool ForTarget(string hostHeader, string path)
    {
        var built = new PreparedRequest[Count];
        for (var i = 0; i < Count; i++)
        {
            var r = Requests[i];
            var head = new StringBuilder(160)
                .Append("POST ").Append(path).Append(" HTTP/1.1\r\n")
                .Append("Host: ").Append(hostHeader).Append("\r\n")
                .Append("Content-Type: application/json\r\n")
                .Append("x-openrtb-version: 2.6\r\n");
            if (r.Gzip)
            {
                head.Append("Content-Encoding: gzip\r\n");
            }

            head.Append("Content-Length: ").Append(r.Body.Length).Append("\r\n\r\n");
            var headBytes = Encoding.ASCII.GetBytes(head.ToString());
            var wire = new byte[headBytes.Length + r.Body.Length];
            headBytes.CopyTo(wire, 0);
            r.Body.CopyTo(wire, headBytes.Length);
            built[i] = r with { Wire = wire };
        }

        return new RequestPool(built);
    }
}
