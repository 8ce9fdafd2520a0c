using System.Text.Json;

namespace FleetNet.Agent.Cgroups;

/// <summary>
/// Reads a container's name from its runtime's on-disk metadata under <c>root</c> (the host's "/"):
/// docker's <c>var/lib/docker/containers/&lt;id&gt;/config.v2.json</c> ("Name": "/web") and rootful
/// podman's <c>var/lib/containers/storage/overlay-containers/containers.json</c> ("id", "names").
/// containerd and cri-o keep names in databases or the CRI API, which the agent does not read: those
/// containers have an id and (under Kubernetes) a pod uid, but no name. Never throws: unreadable or
/// malformed metadata means no name.
/// </summary>
internal sealed class ContainerNameReader(string root)
{
    private const int MaxMetadataBytes = 16 * 1024 * 1024;

    public string TryRead(string runtime, string containerId)
    {
        if (containerId.Length == 0)
        {
            return "";
        }

        return runtime switch
        {
            "docker" => ReadDocker(containerId),
            "podman" => ReadPodman(containerId),
            _ => "",
        };
    }

    private string ReadDocker(string id)
    {
        var bytes = TryReadAll(Path.Combine(root, "var", "lib", "docker", "containers", id, "config.v2.json"));
        return bytes is null ? "" : ParseDockerName(bytes);
    }

    private string ReadPodman(string id)
    {
        var bytes = TryReadAll(Path.Combine(root, "var", "lib", "containers", "storage", "overlay-containers", "containers.json"));
        return bytes is null ? "" : ParsePodmanName(bytes, id);
    }

    /// <summary>The top-level "Name" of docker's config.v2.json, without its leading '/'.</summary>
    internal static string ParseDockerName(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals("Name"u8);
                reader.Read();
                if (isName && reader.TokenType == JsonTokenType.String)
                {
                    return (reader.GetString() ?? "").TrimStart('/');
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return "";
    }

    /// <summary>The first of "names" of the entry whose "id" is <paramref name="id"/> in podman's containers.json.</summary>
    internal static string ParsePodmanName(ReadOnlySpan<byte> json, string id)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return "";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                string? entryId = null;
                string? name = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var property = reader.ValueTextEquals("id"u8) ? 1 : reader.ValueTextEquals("names"u8) ? 2 : 0;
                    reader.Read();
                    if (property == 1 && reader.TokenType == JsonTokenType.String)
                    {
                        entryId = reader.GetString();
                    }
                    else if (property == 2 && reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType == JsonTokenType.String)
                            {
                                name ??= reader.GetString();
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                if (entryId == id)
                {
                    return name ?? "";
                }
            }
        }
        catch (JsonException)
        {
        }

        return "";
    }

    private static byte[]? TryReadAll(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length <= MaxMetadataBytes ? File.ReadAllBytes(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
