import MybroCore
import MybroKernels

/// `mybro-kernel list`: the catalogue as a table or as `kernel` records.
enum KernelList {
    static func write(json: Bool, sink: OutputSink = .standardOutput) throws {
        if json {
            for kernel in KernelCatalog.all {
                try sink.write(
                    record: Record(
                        type: "kernel",
                        [
                            "name": .string(kernel.name), "family": .string(kernel.family.rawValue),
                            "arity": .number(Double(kernel.arity)), "flops": .number(kernel.flopsPerElement),
                            "bytes": .number(kernel.bytesPerElement), "summary": .string(kernel.summary),
                        ]))
            }
            return
        }
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        try sink.write(line: "kernel           family        arity  flop/elem  byte/elem  what")
        for kernel in KernelCatalog.all {
            try sink.write(
                line: pad(kernel.name, 17) + pad(kernel.family.rawValue, 14) + pad(String(kernel.arity), 7)
                    + pad(FloatWriter.number(kernel.flopsPerElement), 11)
                    + pad(FloatWriter.number(kernel.bytesPerElement), 11) + kernel.summary)
        }
    }
}
