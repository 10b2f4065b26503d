using System.Reflection;

// The worker's code is Plugboard's (Plugboard.Serving.WorkerProgram, internal): this program runs from the host's
// folder, where the host's own Plugboard.dll is, and hands over to it. Found by name, not referenced: Plugboard
// references this project to ship it.
Assembly plugboard = Assembly.Load("Plugboard");
MethodInfo run = plugboard.GetType("Plugboard.Serving.WorkerProgram", throwOnError: true)!.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)!;
return await ((Task<int>)run.Invoke(null, [args])!).ConfigureAwait(false);
