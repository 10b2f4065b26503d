global using IsolationApi;
global using Plugboard.TestSupport;
global using Xunit;
