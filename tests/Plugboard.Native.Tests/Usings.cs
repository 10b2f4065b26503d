global using Xunit;
global using Plugboard.TestSupport;
