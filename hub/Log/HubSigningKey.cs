using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// The hub's Ed25519 key for checkpoints and decisions, in the C2SP note private-key form in <c>hub.key</c>, created on
/// first start with mode 0600. The private key is never logged; the verifier key (vkey) is printed and served.
/// </summary>
internal sealed class HubSigningKey
{
    public const string FileName = "hub.key";

    private HubSigningKey(NoteSigner signer, NoteVerifier verifier)
    {
        Signer = signer;
        Verifier = verifier;
    }

    public NoteSigner Signer { get; }

    public NoteVerifier Verifier { get; }

    public string VerifierKey => Signer.VerifierKey;

    public static HubSigningKey LoadOrCreate(string dataDirectory, string name)
    {
        var path = Path.Combine(dataDirectory, FileName);
        NoteSigner signer;
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            if (!NoteSigner.TryParse(text, out var parsed, out var reason))
            {
                throw new InvalidOperationException($"The hub key in {path} is unreadable: {reason}.");
            }

            signer = parsed!;
            if (signer.Name != name)
            {
                throw new InvalidOperationException(
                    $"The hub key in {path} is named '{signer.Name}' but Log:Origin is '{name}'. The origin cannot change once checkpoints are signed.");
            }
        }
        else
        {
            signer = NoteSigner.Generate(name);
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var writer = new StreamWriter(path, options))
            {
                writer.Write(signer.PrivateKey);
                writer.Write('\n');
            }
        }

        if (!NoteVerifier.TryParse(signer.VerifierKey, out var verifier, out var why))
        {
            throw new InvalidOperationException($"The hub's own verifier key does not parse: {why}.");
        }

        return new HubSigningKey(signer, verifier!);
    }
}
