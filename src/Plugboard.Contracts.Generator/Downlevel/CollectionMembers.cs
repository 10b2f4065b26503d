namespace Plugboard.Contracts.Generator.Downlevel;

// Collection members newer than netstandard2.0 that Plugboard.Contracts' sources use.
internal static class CollectionMembers
{
    extension<TKey, TValue>(Dictionary<TKey, TValue> dictionary)
        where TKey : notnull
    {
        public bool TryAdd(TKey key, TValue value)
        {
            if (dictionary.ContainsKey(key))
            {
                return false;
            }
            dictionary.Add(key, value);
            return true;
        }
    }

    extension<TKey, TValue>(KeyValuePair<TKey, TValue> pair)
    {
        public void Deconstruct(out TKey key, out TValue value)
        {
            key = pair.Key;
            value = pair.Value;
        }
    }

    extension<T>(IEnumerable<T> source)
    {
        public IEnumerable<T> TakeLast(int count)
        {
            T[] all = [.. source];
            return all.Skip(Math.Max(0, all.Length - count));
        }
    }
}
