using System.Text;

namespace Plugboard.Contracts.Generator.Downlevel;

// Plugboard.Contracts is written for net10.0; the generator compiles the same sources for netstandard2.0, which lacks
// these string members. Each behaves as its .NET 10 namesake for the ordinal comparisons the emitters use.
internal static class StringMembers
{
    extension(string text)
    {
        public string Replace(string oldValue, string newValue, StringComparison comparison) =>
            comparison == StringComparison.Ordinal ? text.Replace(oldValue, newValue) : throw new NotSupportedException("Only ordinal replacement is used by the emitters.");

        public bool Contains(char value, StringComparison comparison) => text.IndexOf(value.ToString(), comparison) >= 0;

        public int IndexOf(char value, StringComparison comparison) => text.IndexOf(value.ToString(), comparison);

        public bool EndsWith(char value) => text.Length > 0 && text[text.Length - 1] == value;

        public bool StartsWith(char value) => text.Length > 0 && text[0] == value;

        public string[] Split(char separator, StringSplitOptions options) => text.Split([separator], options);
    }

    extension(string)
    {
        public static string Join<T>(char separator, IEnumerable<T> values) => string.Join(separator.ToString(), values);

        public static string Join(char separator, params string[] values) => string.Join(separator.ToString(), values);
    }

    extension(StringBuilder builder)
    {
        // .NET 6+ formats the interpolation with the provider through a handler; a FormattableString gives the same text.
        public StringBuilder Append(IFormatProvider provider, FormattableString text) => builder.Append(text.ToString(provider));

        public StringBuilder AppendLine(IFormatProvider provider, FormattableString text) => builder.Append(text.ToString(provider)).AppendLine();
    }
}
