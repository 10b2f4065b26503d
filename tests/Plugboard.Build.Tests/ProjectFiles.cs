namespace Plugboard.Build.Tests;

/// <summary>The project files the package tests write, as a user of the packed packages would.</summary>
internal static class ProjectFiles
{
    /// <summary>A console host consuming the Plugboard package and its own API project.</summary>
    public static string Host(string apiProject) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Plugboard" Version="{Repo.Version}" />
            <ProjectReference Include="{apiProject}" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>
    /// A console host that loads native plugins through its contract: the generator package adds the proxies of
    /// <c>Acme.Api</c> (PlugboardNativeHostApi); <paramref name="references"/> bring the API and whatever else it uses.
    /// </summary>
    public static string NativeHost(string references) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <PlugboardNativeHostApi>Acme.Api</PlugboardNativeHostApi>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Plugboard.Native" Version="{Repo.Version}" />
            <PackageReference Include="Plugboard.Contracts.Generator" Version="{Repo.Version}" PrivateAssets="all" />
            {references}
          </ItemGroup>
        </Project>
        """;

    /// <summary>A host API project stamped as such by the Plugboard.Build package.</summary>
    public static string HostApi(string properties = "", string items = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <Sdk Name="Plugboard.Build" Version="{Repo.Version}" />
          <PropertyGroup><TargetFramework>net10.0</TargetFramework><PlugboardPublicApi>true</PlugboardPublicApi>{properties}</PropertyGroup>
          <ItemGroup>{items}</ItemGroup>
        </Project>
        """;
}
