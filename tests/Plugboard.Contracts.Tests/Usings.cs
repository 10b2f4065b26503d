global using Plugboard.Contracts;
global using Plugboard.Contracts.Bindings;
global using Plugboard.Contracts.Layout;
global using Xunit;
