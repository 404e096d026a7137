using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class Site : IResettable
{
    public bool Present { get; set; }

    public Utf8Slice Id { get; set; }

    public Utf8Slice Domain { get; set; }

    public Utf8Slice Page { get; set; }

    public List<Utf8Slice> Cat { get; } = [];

    public Utf8Slice PublisherId { get; set; }

    public void Reset()
    {
        Present = false;
        Id = default;
        Domain = default;
        Page = default;
        Cat.Clear();
        PublisherId = default;
    }
}
