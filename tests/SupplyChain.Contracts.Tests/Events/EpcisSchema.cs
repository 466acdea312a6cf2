using System.Text.Json.Nodes;
using NJsonSchema;

namespace SupplyChain.Contracts.Tests.Events;

/// <summary>
/// The official EPCIS 2.0 JSON schema, loaded once from the shared test vectors. It has only local <c>$ref</c>s, so it
/// loads offline. NJsonSchema does not evaluate draft-07 <c>if</c>/<c>then</c>/<c>else</c>, which the schema uses to
/// dispatch on <c>type</c>; each such block is rewritten to its logical equivalent
/// (<c>if A then B else C</c> ≡ <c>anyOf[not A, B]</c> ∧ <c>anyOf[A, C]</c>) before loading.
/// </summary>
internal static class EpcisSchema
{
    private static readonly Lazy<Task<JsonSchema>> Schema = new(LoadAsync);
    private static readonly Lazy<HashSet<string>> ListedNames = new(CollectListedNames);

    /// <summary>Schema errors, plus violations of the schema's <c>propertyNames</c> rule, which NJsonSchema does not evaluate.</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(string json)
    {
        var schema = await Schema.Value;
        return [.. schema.Validate(json).Select(e => e.ToString()), .. MemberNameErrors(JsonNode.Parse(json))];
    }

    // The schema's propertyNames say: a member is one the standard names for that object, or its name is a URI
    // ("vocab-uri", format uri), i.e. a namespaced extension such as "ct:seq". Checked here against the union of all
    // names the schema declares (properties and propertyNames enums), which is looser per object but catches any
    // un-namespaced extension.
    private static IEnumerable<string> MemberNameErrors(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (!ListedNames.Value.Contains(name) && !Uri.TryCreate(name, UriKind.Absolute, out _))
                    {
                        yield return $"{node.GetPath()}: member \"{name}\" is neither listed by the schema nor a URI";
                    }

                    if (name != "@context")
                    {
                        foreach (var error in MemberNameErrors(value))
                        {
                            yield return error;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var error in array.SelectMany(MemberNameErrors))
                {
                    yield return error;
                }

                break;
        }
    }

    private static HashSet<string> CollectListedNames()
    {
        var root = JsonNode.Parse(File.ReadAllText(TestVectors.PathOf("epcis", "EPCIS-JSON-Schema.json")))!;
        var names = new HashSet<string>(StringComparer.Ordinal);
        Collect(root, insidePropertyNames: false);
        return names;

        void Collect(JsonNode? node, bool insidePropertyNames)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, value) in obj)
                    {
                        if (insidePropertyNames && name == "enum" && value is JsonArray values)
                        {
                            names.UnionWith(values.Select(v => v!.GetValue<string>()));
                        }

                        if (name == "properties" && value is JsonObject declared)
                        {
                            names.UnionWith(declared.Select(p => p.Key));
                        }

                        Collect(value, insidePropertyNames || name is "propertyNames" or "common-event-properties");
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Collect(item, insidePropertyNames);
                    }

                    break;
            }
        }
    }

    private static async Task<JsonSchema> LoadAsync()
    {
        var path = TestVectors.PathOf("epcis", "EPCIS-JSON-Schema.json");
        var root = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        RewriteConditionals(root);
        return await JsonSchema.FromJsonAsync(root.ToJsonString(), path);
    }

    private static void RewriteConditionals(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var child in obj.Select(p => p.Value).ToList())
                {
                    RewriteConditionals(child);
                }

                if (obj.Remove("if", out var condition))
                {
                    obj.Remove("then", out var then);
                    obj.Remove("else", out var otherwise);
                    if (obj["allOf"] is not JsonArray allOf)
                    {
                        allOf = [];
                        obj["allOf"] = allOf;
                    }

                    if (then is not null)
                    {
                        allOf.Add(new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["not"] = condition!.DeepClone() }, then) });
                    }

                    if (otherwise is not null)
                    {
                        allOf.Add(new JsonObject { ["anyOf"] = new JsonArray(condition!.DeepClone(), otherwise) });
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array.ToList())
                {
                    RewriteConditionals(child);
                }

                break;
        }
    }
}
