using System.Runtime.InteropServices;

namespace AotSummary;

/// <summary>Mirror of <c>notebook_notes_v1</c> (samples/Notebook.NativeBridge/include/notebook_notes.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NotebookNotes
{
    public const string Id = "notebook.notes/1";

    public uint StructSize;
    public uint Reserved;
    public delegate* unmanaged[Cdecl]<nint, nint, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int>, int> GetTitle;
    public delegate* unmanaged[Cdecl]<nint, nint, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int>, int> GetBody;
    public delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> AddTag;
    public delegate* unmanaged[Cdecl]<nint, byte*, nuint, double, int> SetMetric;
    public delegate* unmanaged[Cdecl]<nint, byte*, nuint, long*, int> CountWords;
    public delegate* unmanaged[Cdecl]<nint, byte*, nuint, byte*, nuint, int*, int> AddNote;
    public delegate* unmanaged[Cdecl]<nint, int*, int> GetNoteId;
}
