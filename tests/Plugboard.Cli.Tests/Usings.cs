global using System.Text.Json;
global using Plugboard.TestSupport;
global using Xunit;
