namespace Plugboard.Contracts;

/// <summary>The stable ids of the contract model's diagnostics, documented in docs/native-bindings.md.</summary>
public static class ContractDiagnosticIds
{
    /// <summary>A parameter, return value or field has a type the bindings cannot express.</summary>
    public const string UnsupportedShape = "PLUGBOARD010";

    /// <summary>A member kind the bindings cannot express: an event, a generic or static method, a default implementation, interface inheritance, overloads; on an <c>[ExportedClass]</c>, a base class other than object.</summary>
    public const string UnsupportedMember = "PLUGBOARD011";

    /// <summary>An <c>[ExportedInterface]</c> or <c>[ExportedClass]</c> id is not <c>name/major</c>, two exported types share one, or the attribute marks the wrong kind of type.</summary>
    public const string InvalidInterfaceId = "PLUGBOARD012";

    /// <summary>A <c>[SharedData]</c> type is not a sequential struct starting with <c>uint StructSize</c>, or not an enum.</summary>
    public const string InvalidSharedData = "PLUGBOARD013";

    /// <summary>A layout changed incompatibly under the same interface id (or struct name): it needs a new id.</summary>
    public const string IncompatibleLayout = "PLUGBOARD014";

    /// <summary>A function's documentation states no thread rule (<c>&lt;thread&gt;</c> on the member or its interface).</summary>
    public const string MissingThreadRule = "PLUGBOARD015";

    /// <summary>Two members, parameters or types get the same name in the bindings, or a parameter takes a name the bindings reserve.</summary>
    public const string NameCollision = "PLUGBOARD016";

    /// <summary>A function takes two handles of one exported type: the call names its host objects by type, so the two could not be told apart.</summary>
    public const string DuplicateHandleType = "PLUGBOARD017";

    /// <summary>The source generator: <c>PlugboardNativeHostApi</c> names an assembly the project does not reference.</summary>
    public const string HostApiNotReferenced = "PLUGBOARD018";

    /// <summary>The source generator: the referenced host API is not a readable .NET assembly.</summary>
    public const string HostApiUnreadable = "PLUGBOARD019";

    /// <summary>The source generator: the generated host side needs unsafe code and Plugboard.Native, and the project lacks one.</summary>
    public const string HostProjectIncomplete = "PLUGBOARD020";
}
