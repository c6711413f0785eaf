export interface PacedOutputOptions {
    baudRate: number;
    /** Receives each slice when its last byte would have arrived. */
    sink: (bytes: Uint8Array) => void;
    /** True when the far end is not reading (nobody has the station's end open): output is lost, as on a real UART. */
    blocked?: () => boolean;
}
export declare class PacedOutput {
    #private;
    constructor(options: PacedOutputOptions);
    write(bytes: Uint8Array): void;
    /** Resolves once everything written so far has left. */
    drained(): Promise<void>;
    /** A reset: whatever had not left yet is lost. */
    reset(): void;
}
export declare class PacedInput {
    #private;
    constructor(baudRate: number, deliver: (bytes: Uint8Array) => void);
    receive(bytes: Uint8Array): void;
    /** A reset: bytes still on the wire are lost. */
    reset(): void;
}
