using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Api;

/// <summary>
/// The hub's OpenAPI 3.1 document at <see cref="Path"/> (Microsoft.AspNetCore.OpenApi): every mapped endpoint with its
/// method, parameters and request and response types as the framework infers them, plus what it cannot infer: the
/// bearer scheme and, per operation, whether it needs a token (<c>security</c>) and which role, and the ProblemDetails
/// answers for bad input (docs/API.md "Errors").
/// </summary>
internal static class OpenApiDocumentation
{
    public const string Path = "/openapi/v1.json";
    public const string Scheme = "Bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "ColdTrace hub API",
                Version = "v1",
                Description = "Cold-chain custody tracking: verification, recalls, devices, alerts, the transparency log and EPCIS 2.0. See docs/API.md.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "ct_ followed by 43 base64url characters",
                Description = "RFC 6750 bearer token issued by `coldtrace-hub users add --name … --role …`.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= [];
            var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToList();
            if (policies.Count > 0 && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] }];
                operation.Description = $"Needs a bearer token: {string.Join(", ", policies.Select(Roles))}.";
                Problem(operation, "401", "No token, or a malformed, unknown or revoked one");
                if (!policies.All(p => p == UserPolicies.SignedIn))
                {
                    Problem(operation, "403", "The user's role may not do this");
                }
            }

            if (context.Description.ParameterDescriptions.Count > 0 || context.Description.RelativePath?.Contains('{', StringComparison.Ordinal) == true
                || operation.RequestBody is not null)
            {
                Problem(operation, "400", "Bad input: the problem's detail says which and why");
            }

            if (context.Description.RelativePath?.Contains('{', StringComparison.Ordinal) == true)
            {
                Problem(operation, "404", "Nothing has that id");
            }

            if (operation.RequestBody is not null)
            {
                Problem(operation, "413", $"The body is larger than {RequestBodyLimit.MaxBytes} bytes");
                Problem(operation, "415", "The body is not application/json");
            }

            return Task.CompletedTask;
        });
    }

    private static string Roles(string? policy) => policy switch
    {
        UserPolicies.SignedIn => "any signed-in user",
        UserPolicies.Quality => "role quality",
        UserPolicies.RecallPreview => "role quality or auditor",
        UserPolicies.Admin => "role admin",
        UserPolicies.DeviceReader => "role admin or auditor",
        _ => $"policy {policy}",
    };

    private static void Problem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = ProblemSchema() },
            },
        };
    }

    // RFC 9457 §3.1.
    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };
}
