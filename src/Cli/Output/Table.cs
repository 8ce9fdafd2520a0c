using System.Text;

namespace FleetNet.Cli.Output;

/// <summary>A plain text table: columns padded to their widest cell, right-aligned where asked.</summary>
internal sealed class Table(params (string Header, bool RightAlign)[] columns)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public string Render(int maxWidth)
    {
        var widths = new int[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            widths[c] = columns[c].Header.Length;
            foreach (var row in _rows)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var text = new StringBuilder();
        Append(text, widths, columns.Select(c => c.Header).ToArray(), maxWidth);
        foreach (var row in _rows)
        {
            Append(text, widths, row, maxWidth);
        }

        return text.ToString();
    }

    private void Append(StringBuilder text, int[] widths, string[] cells, int maxWidth)
    {
        var line = new StringBuilder();
        for (var c = 0; c < cells.Length; c++)
        {
            var last = c == cells.Length - 1;
            line.Append(last ? cells[c] : columns[c].RightAlign ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
            if (!last)
            {
                line.Append("  ");
            }
        }

        text.Append(line.Length > maxWidth ? line.ToString(0, maxWidth) : line.ToString()).Append('\n');
    }
}
