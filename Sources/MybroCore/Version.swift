/// The toolkit's version, shown by every command's `--version`.
public enum MybroVersion {
    public static let string = "0.1.0"
}
