using System.Xml;

namespace Broker.Cryptography.Xml;

/// <summary>
/// A forward-only reader for a fixed XML shape. Elements must carry no prefix (the profile uses default namespaces),
/// attributes other than namespace declarations are checked by name, and whitespace is refused unless allowed.
/// </summary>
internal sealed class StrictReader(XmlReader reader)
{
    private bool _started;
    private bool _pending; // positioned on a start tag whose attributes were checked but whose content is not entered

    public string? Error { get; private set; }

    public bool PeekStart(string localName, string ns, bool allowWhitespace = false) =>
        MoveToContent(allowWhitespace) && reader.NodeType == XmlNodeType.Element
        && reader.LocalName == localName && reader.NamespaceURI == ns && reader.Prefix.Length == 0;

    public bool Start(string localName, string ns, bool allowWhitespace = false)
    {
        if (!PeekStart(localName, ns, allowWhitespace))
        {
            return Fail($"expected element {localName}");
        }

        _pending = true;
        return true;
    }

    /// <summary>An element with exactly one attribute and no content, e.g. <c>&lt;DigestMethod Algorithm="..."/&gt;</c>.</summary>
    public bool Empty(string localName, string ns, string attribute, out string value)
    {
        value = "";
        if (!Start(localName, ns) || !OnlyAttribute(attribute, out value))
        {
            return false;
        }

        _pending = false;
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return true;
        }

        reader.Read();
        return reader.NodeType == XmlNodeType.EndElement ? Advance() : Fail($"{localName} must be empty");
    }

    public bool TextElement(string localName, string ns, out string text, bool allowWhitespace = false)
    {
        text = "";
        return Start(localName, ns, allowWhitespace) && NoAttributes() && Text(out text) && End();
    }

    /// <summary>Reads the text content of the current element (positioned on its start tag).</summary>
    public bool Text(out string text)
    {
        text = "";
        if (!_pending || reader.IsEmptyElement)
        {
            return Fail("expected text content");
        }

        _pending = false;
        reader.Read();
        if (reader.NodeType is not (XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace))
        {
            return Fail("expected text content");
        }

        text = reader.Value;
        reader.Read();
        return reader.NodeType == XmlNodeType.EndElement || Fail("unexpected content in a text element");
    }

    public bool End(bool allowWhitespace = false)
    {
        if (!MoveToContent(allowWhitespace) || reader.NodeType != XmlNodeType.EndElement)
        {
            return Fail("unexpected content");
        }

        return Advance();
    }

    public bool AtEnd() => (!MoveToContent(allowWhitespace: true) || reader.EOF) || Fail("content after the document element");

    public bool NoAttributes() => CheckAttributes(null, out _, null, out _);

    public bool OnlyAttribute(string name, out string value) => CheckAttributes(name, out value, null, out _);

    public bool TwoAttributes(string first, out string firstValue, string second, out string secondValue) =>
        CheckAttributes(first, out firstValue, second, out secondValue);

    private bool CheckAttributes(string? first, out string firstValue, string? second, out string secondValue)
    {
        firstValue = "";
        secondValue = "";
        string? a = null, b = null;
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.Prefix == "xmlns" || (reader.Prefix.Length == 0 && reader.LocalName == "xmlns"))
                {
                    continue;
                }

                if (reader.NamespaceURI.Length == 0 && reader.LocalName == first && a is null)
                {
                    a = reader.Value;
                }
                else if (reader.NamespaceURI.Length == 0 && reader.LocalName == second && b is null)
                {
                    b = reader.Value;
                }
                else
                {
                    reader.MoveToElement();
                    return Fail($"unexpected attribute {reader.Name}");
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        if ((first is not null && a is null) || (second is not null && b is null))
        {
            return Fail("a required attribute is missing");
        }

        firstValue = a ?? "";
        secondValue = b ?? "";
        return true;
    }

    private bool MoveToContent(bool allowWhitespace)
    {
        if (!_started)
        {
            _started = true;
            if (!reader.Read())
            {
                return false;
            }
        }

        if (_pending)
        {
            // enter the element's content
            _pending = false;
            if (reader.IsEmptyElement)
            {
                return Fail($"{reader.LocalName} has no content");
            }

            if (!reader.Read())
            {
                return false;
            }
        }

        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.XmlDeclaration:
                    break;
                case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when allowWhitespace:
                    break;
                case XmlNodeType.DocumentType or XmlNodeType.ProcessingInstruction or XmlNodeType.EntityReference or XmlNodeType.CDATA:
                    return Fail($"{reader.NodeType} is not allowed");
                default:
                    return true;
            }

            if (!reader.Read())
            {
                return true;
            }
        }
    }

    private bool Advance()
    {
        reader.Read();
        return true;
    }

    private bool Fail(string message)
    {
        Error ??= message;
        return false;
    }
}
