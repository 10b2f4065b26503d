global using TestApi;
global using Xunit;
global using Plugboard.TestSupport;
