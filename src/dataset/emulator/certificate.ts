// The emulator's TLS certificate: made fresh at every start, in JS (no openssl binary), for 127.0.0.1 and localhost.
import { generate } from "selfsigned";

export interface Certificate {
    /** The certificate as PEM: clients trust it with `tlsOptions: { ca }`. */
    readonly cert: string;
    readonly key: string;
}

export async function createCertificate(now = new Date()): Promise<Certificate> {
    const notBeforeDate = new Date(now.getTime() - 60 * 60_000); // tolerate a client clock a little behind
    const notAfterDate = new Date(now.getTime() + 30 * 86_400_000);
    const pems = await generate([{ name: "commonName", value: "shadowit Log Analytics emulator" }], {
        keyType: "ec",
        curve: "P-256",
        algorithm: "sha256",
        notBeforeDate,
        notAfterDate,
        extensions: [
            { name: "basicConstraints", cA: false, critical: true },
            { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
            { name: "extKeyUsage", serverAuth: true },
            { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
        ],
    });
    return { cert: pems.cert, key: pems.private };
}
