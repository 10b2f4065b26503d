global using Plugboard.TestSupport;
global using TestApi;
global using Xunit;
