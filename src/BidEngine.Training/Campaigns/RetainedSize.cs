using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using BidEngine.Core.Campaigns;

namespace BidEngine.Training.Campaigns;

/// <summary>
/// What a set of objects holds on the managed heap: every object reachable from the roots, counted
/// once, at its size as this runtime allocates it. Unlike the GC's totals it sees only what the roots
/// reach, so other threads (tests running beside it) and garbage cannot blur it, and it can say which
/// types the bytes are in. Sizes are measured, not computed: one instance of each class, and each
/// array and string length met, is allocated once between two readings of
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>. Walks by reflection: about a second per million
/// objects; for measuring, not for the request path.
/// </summary>
public static class RetainedSize
{
    private static readonly ConcurrentDictionary<Type, long> InstanceSizes = new();
    private static readonly ConcurrentDictionary<(Type, int), long> ArraySizes = new();
    private static readonly ConcurrentDictionary<Type, FieldInfo[]> ReferenceFields = new();

    /// <summary>Bytes and objects reachable from the roots, in total and by type.</summary>
    public sealed class Tally
    {
        internal Tally(HashSet<object> reached)
        {
            Reached = reached;
        }

        /// <summary>Every object the walk met or was told to skip: pass it as the next walk's <c>skip</c> to count only what that one adds.</summary>
        public ISet<object> Reached { get; }

        public long Bytes { get; internal set; }

        public long Objects { get; internal set; }

        public Dictionary<Type, (long Bytes, long Count)> ByType { get; } = [];

        /// <summary>The types holding the most bytes, one per line, for a report or a failing test.</summary>
        public string Top(int count, long per = 1) =>
            string.Join('\n', ByType.OrderByDescending(t => t.Value.Bytes).Take(count)
                .Select(t => $"{t.Value.Bytes / (double)per,10:F1} {t.Value.Count,10:N0}  {Name(t.Key)}"));

        private static string Name(Type type)
        {
            if (type.IsArray)
            {
                return Name(type.GetElementType()!) + "[]";
            }

            var name = type.Name.Split('`')[0];
            var arguments = type.IsGenericType ? $"<{string.Join(", ", type.GetGenericArguments().Select(Name))}>" : "";
            return type.DeclaringType is { } outer && !type.IsGenericType ? $"{Name(outer)}.{name}" : name + arguments;
        }
    }

    /// <summary>Everything the roots reach; objects of <paramref name="skip"/> (and what only they reach) are left out.</summary>
    public static Tally Of(IEnumerable<object> roots, ISet<object>? skip = null)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var tally = new Tally(seen);
        if (skip is not null)
        {
            seen.UnionWith(skip);
        }

        var pending = new Stack<object>();
        foreach (var root in roots)
        {
            Push(root, seen, pending);
        }

        while (pending.TryPop(out var obj))
        {
            var type = obj.GetType();
            var size = SizeOf(obj, type);
            tally.Bytes += size;
            tally.Objects++;
            ref var byType = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(tally.ByType, type, out _);
            byType = (byType.Bytes + size, byType.Count + 1);
            if (type.IsArray)
            {
                var element = type.GetElementType()!;
                if (!element.IsValueType && !element.IsPointer)
                {
                    foreach (var item in (Array)obj)
                    {
                        Push(item, seen, pending);
                    }
                }
                else if (HasReferences(element))
                {
                    foreach (var item in (Array)obj)
                    {
                        Children(item, seen, pending);
                    }
                }

                continue;
            }

            if (type != typeof(string))
            {
                Children(obj, seen, pending);
            }
        }

        return tally;
    }

    /// <summary>
    /// The creatives' markup arrays (adm, its parts, nurl): what a campaign holds because its ads are
    /// that long. Walk them for their size, or pass them as <c>skip</c> to leave them out of a walk.
    /// </summary>
    public static ISet<object> Markup(IEnumerable<Campaign> campaigns)
    {
        var set = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var creative in campaigns.SelectMany(c => c.Creatives))
        {
            foreach (var markup in new[] { creative.AdmUtf8, creative.NurlUtf8 }.Concat(creative.AdmPartsUtf8 ?? []))
            {
                if (markup is not null)
                {
                    set.Add(markup);
                }
            }
        }

        return set;
    }

    private static void Push(object? obj, HashSet<object> seen, Stack<object> pending)
    {
        // Types, members and delegates lead into the runtime's own tables, which no campaign owns.
        if (obj is null or Type or MemberInfo or Delegate or Assembly or Pointer || !seen.Add(obj))
        {
            return;
        }

        pending.Push(obj);
    }

    /// <summary>The references held in the fields of <paramref name="obj"/> (a boxed struct's too, without counting the box).</summary>
    private static void Children(object? obj, HashSet<object> seen, Stack<object> pending)
    {
        if (obj is null)
        {
            return;
        }

        foreach (var field in FieldsOf(obj.GetType()))
        {
            var value = field.GetValue(obj);
            if (field.FieldType.IsValueType)
            {
                Children(value, seen, pending);
            }
            else
            {
                Push(value, seen, pending);
            }
        }
    }

    /// <summary>Instance fields, inherited ones too, that hold references or structs with references.</summary>
    private static FieldInfo[] FieldsOf(Type type) => ReferenceFields.GetOrAdd(type, static t =>
    {
        var fields = new List<FieldInfo>();
        for (var at = t; at is not null; at = at.BaseType)
        {
            fields.AddRange(at.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(f => !f.FieldType.IsPointer && !f.FieldType.IsByRefLike && (!f.FieldType.IsValueType || HasReferences(f.FieldType))));
        }

        return [.. fields];
    });

    private static bool HasReferences(Type valueType) =>
        !valueType.IsPrimitive && !valueType.IsEnum && valueType.IsValueType && !valueType.IsPointer
        && FieldsOf(valueType).Length > 0;

    private static long SizeOf(object obj, Type type) => obj switch
    {
        string s => ArraySizes.GetOrAdd((typeof(string), s.Length), static k => Measure(() => new string('\0', k.Item2))),
        Array a when a.Rank == 1 => ArraySizes.GetOrAdd((type, a.Length), static k => Measure(() => Array.CreateInstance(k.Item1.GetElementType()!, k.Item2))),
        Array a => Measure(() => Array.CreateInstance(type.GetElementType()!, Enumerable.Range(0, a.Rank).Select(a.GetLength).ToArray())),
        _ => InstanceSizes.GetOrAdd(type, static t => Measure(() => RuntimeHelpers.GetUninitializedObject(t))),
    };

    private static long Measure(Func<object> allocate)
    {
        // Warm the delegate and whatever it calls first, so that only the object itself is counted.
        GC.KeepAlive(allocate());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var made = allocate();
        var size = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(made);
        return size;
    }
}
