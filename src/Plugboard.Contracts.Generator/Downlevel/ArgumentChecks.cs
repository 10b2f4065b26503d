using System.Runtime.CompilerServices;

namespace Plugboard.Contracts.Generator.Downlevel;

// ArgumentNullException.ThrowIfNull (.NET 6+) for the netstandard2.0 build of Plugboard.Contracts' sources.
internal static class ArgumentChecks
{
    extension(ArgumentNullException)
    {
        public static void ThrowIfNull([System.Diagnostics.CodeAnalysis.NotNull] object? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
        {
            if (argument is null)
            {
                throw new ArgumentNullException(paramName);
            }
        }
    }
}
