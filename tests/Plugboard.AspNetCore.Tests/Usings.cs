global using Plugboard.TestSupport;
global using Xunit;
