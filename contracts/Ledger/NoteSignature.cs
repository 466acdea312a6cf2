namespace SupplyChain.Contracts.Ledger;

/// <summary>One parsed signature line: key name, key ID and the signature bytes after the key ID.</summary>
internal readonly record struct NoteSignature(string Name, uint KeyId, byte[] Signature);
