[assembly: System.Runtime.CompilerServices.TypeForwardedTo(typeof(CaseApi.Money))]

namespace CaseApi;
