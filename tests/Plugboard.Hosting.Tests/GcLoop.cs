namespace Plugboard.Hosting.Tests;

/// <summary>Runs full collections until a condition holds, a bounded number of times.</summary>
internal static class GcLoop
{
    public static bool Until(Func<bool> condition, int attempts = 20)
    {
        for (int i = 0; i < attempts; i++)
        {
            if (condition())
            {
                return true;
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(10);
        }
        return condition();
    }
}
