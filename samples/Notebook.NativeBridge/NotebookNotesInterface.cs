using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Notebook.Api;
using Plugboard.Native;

namespace Notebook.NativeBridge;

/// <summary>
/// The host side of <c>notebook.notes/1</c> (include/notebook_notes.h): one process-wide function table whose
/// functions act on the note of the current invoke. Each function catches everything and returns a status.
/// </summary>
internal static unsafe class NotebookNotesInterface
{
    public const string Id = "notebook.notes/1";

    private static readonly Lazy<nint> Table = new(CreateTable);

    /// <summary>The table's address; allocated once and never freed (plugins may hold it until the process ends).</summary>
    public static nint Address => Table.Value;

    [StructLayout(LayoutKind.Sequential)]
    private struct NotesTableV1
    {
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

    private static nint CreateTable()
    {
        var table = (NotesTableV1*)NativeMemory.AllocZeroed((nuint)sizeof(NotesTableV1));
        table->StructSize = (uint)sizeof(NotesTableV1);
        table->GetTitle = &GetTitle;
        table->GetBody = &GetBody;
        table->AddTag = &AddTag;
        table->SetMetric = &SetMetric;
        table->CountWords = &CountWords;
        table->AddNote = &AddNote;
        table->GetNoteId = &GetNoteId;
        return (nint)table;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetTitle(nint callContext, nint sinkContext, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> write)
    {
        try
        {
            NoteCallState? state = NoteCallState.From(callContext);
            return state is null ? NativeStatus.NoCall : WriteText(state.Note!.Title, sinkContext, write);
        }
        catch (Exception)
        {
            return NativeStatus.Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetBody(nint callContext, nint sinkContext, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> write)
    {
        try
        {
            NoteCallState? state = NoteCallState.From(callContext);
            return state is null ? NativeStatus.NoCall : WriteText(state.Note!.Body, sinkContext, write);
        }
        catch (Exception)
        {
            return NativeStatus.Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int AddTag(nint callContext, byte* tag, nuint length)
    {
        try
        {
            NoteCallState? state = NoteCallState.From(callContext);
            if (state is null)
            {
                return NativeStatus.NoCall;
            }
            if (!TryDecode(tag, length, out string text))
            {
                return NativeStatus.InvalidUtf8;
            }
            state.Note!.Tags.Add(text);
            return NativeStatus.Ok;
        }
        catch (Exception)
        {
            return NativeStatus.Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SetMetric(nint callContext, byte* name, nuint length, double value)
    {
        try
        {
            NoteCallState? state = NoteCallState.From(callContext);
            if (state is null)
            {
                return NativeStatus.NoCall;
            }
            if (!TryDecode(name, length, out string text))
            {
                return NativeStatus.InvalidUtf8;
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                return NativeStatus.InvalidArgument;
            }
            state.Note!.SetMetric(text, value);
            return NativeStatus.Ok;
        }
        catch (Exception)
        {
            return NativeStatus.Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CountWords(nint callContext, byte* text, nuint length, long* count)
    {
        try
        {
            if (count == null)
            {
                return NativeStatus.InvalidArgument;
            }
            if (NoteCallState.From(callContext) is null)
            {
                return NativeStatus.NoCall;
            }
            if (!TryDecode(text, length, out string decoded))
            {
                return NativeStatus.InvalidUtf8;
            }
            *count = TextTools.CountWords(decoded);
            return NativeStatus.Ok;
        }
        catch (Exception)
        {
            return NativeStatus.Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int AddNote(nint callContext, byte* title, nuint titleLength, byte* body, nuint bodyLength, int* id)
    {
        try
        {
            NoteCallState? state = NoteCallState.From(callContext);
            if (state is null)
            {
                return NativeStatus.NoCall;
            }
            if (state.Store is null)
            {
                return NativeStatus.Unsupported;
            }
            if (!TryDecode(title, titleLength, out string titleText) || !TryDecode(body, bodyLength, out string bodyText))
            {
                return NativeStatus.InvalidUtf8;
            }
            if (string.IsNullOrWhiteSpace(titleText))
            {
                return NativeStatus.InvalidArgument;
            }
            Note added = state.Store.Add(new Note(titleText, bodyText) { Author = state.PluginName });
            if (id != null)
            {
                *id = added.Id;
            }
            return NativeStatus.Ok;
        }
        catch (Exception)
        {
            return NativeStatus.Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetNoteId(nint callContext, int* id)
    {
        try
        {
            NoteCallState? state = NoteCallState.From(callContext);
            if (state is null)
            {
                return NativeStatus.NoCall;
            }
            if (id == null)
            {
                return NativeStatus.InvalidArgument;
            }
            *id = state.Note!.Id;
            return NativeStatus.Ok;
        }
        catch (Exception)
        {
            return NativeStatus.Failed;
        }
    }

    private static int WriteText(string text, nint sinkContext, delegate* unmanaged[Cdecl]<nint, byte*, nuint, int> write)
    {
        if (write == null)
        {
            return NativeStatus.InvalidArgument;
        }
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = max > 1024 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> buffer = rented ?? stackalloc byte[1024];
        try
        {
            int length = Encoding.UTF8.GetBytes(text, buffer);
            fixed (byte* p = buffer)
            {
                return write(sinkContext, p, (nuint)length);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool TryDecode(byte* data, nuint length, out string text)
    {
        text = string.Empty;
        if (length == 0)
        {
            return true;
        }
        if (data == null || length > int.MaxValue)
        {
            return false;
        }
        var span = new ReadOnlySpan<byte>(data, (int)length);
        if (!System.Text.Unicode.Utf8.IsValid(span))
        {
            return false;
        }
        text = Encoding.UTF8.GetString(span);
        return true;
    }
}
