global using TestApi;
global using Xunit;
