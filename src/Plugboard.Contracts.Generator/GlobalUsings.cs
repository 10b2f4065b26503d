// The shims apply to the linked Plugboard.Contracts sources without a using of their own.
global using Plugboard.Contracts.Generator.Downlevel;
