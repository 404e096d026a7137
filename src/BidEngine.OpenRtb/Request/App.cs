using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class App : IResettable
{
    public bool Present { get; set; }

    public Utf8Slice Id { get; set; }

    /// <summary>Store id of the app (for example com.foo.mygame or 1234567890); matched against bapp.</summary>
    public Utf8Slice Bundle { get; set; }

    public Utf8Slice Domain { get; set; }

    public List<Utf8Slice> Cat { get; } = [];

    public Utf8Slice PublisherId { get; set; }

    public void Reset()
    {
        Present = false;
        Id = default;
        Bundle = default;
        Domain = default;
        Cat.Clear();
        PublisherId = default;
    }
}
