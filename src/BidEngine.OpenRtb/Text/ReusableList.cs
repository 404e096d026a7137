namespace BidEngine.OpenRtb.Text;

/// <summary>
/// A list whose items are objects kept across requests: <see cref="Clear"/> forgets the count but
/// keeps the objects, and <see cref="Add"/> hands back a reset one. After warm-up a request with no
/// more items than an earlier one allocates nothing.
/// </summary>
public sealed class ReusableList<T>
    where T : class, IResettable, new()
{
    private readonly List<T> _items = [];

    public int Count { get; private set; }

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return _items[index];
        }
    }

    public T Add()
    {
        if (Count == _items.Count)
        {
            _items.Add(new T());
        }

        var item = _items[Count++];
        item.Reset();
        return item;
    }

    /// <summary>Removes the item at <paramref name="index"/>, keeping the order of the rest; its object is kept for reuse.</summary>
    public void RemoveAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        var item = _items[index];
        _items.RemoveAt(index);
        _items.Add(item);
        Count--;
    }

    public void Clear() => Count = 0;
}

/// <summary>An object that can be returned to its empty state and reused.</summary>
public interface IResettable
{
    void Reset();
}
