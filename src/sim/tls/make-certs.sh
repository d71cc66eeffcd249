#!/bin/sh
# Regenerates the sim's private test PKI (run from this folder; needs openssl). Test-only keys for hosts under
# .test, valid until 2126 so the committed files never expire: a root CA, an intermediate CA and one leaf for every
# simulated https host (SANs below). Nothing outside the sim trusts them.
set -e
HOSTS="www.gddq.gov.cn.test www.px.gov.cn.test www.zaduo.gov.cn.test www.chinafx.gov.cn.test"
SAN=$(for h in $HOSTS; do printf 'DNS:%s,' "$h"; done | sed 's/,$//')
tmp=$(mktemp -d)
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/ca.key"
openssl req -x509 -new -key "$tmp/ca.key" -sha256 -days 36500 -subj "/CN=nianbao sim test root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/int.key"
openssl req -new -key "$tmp/int.key" -subj "/CN=nianbao sim test intermediate CA" -out "$tmp/int.csr"
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > "$tmp/int.ext"
openssl x509 -req -in "$tmp/int.csr" -CA ca.pem -CAkey "$tmp/ca.key" -CAcreateserial -days 36500 -sha256 -extfile "$tmp/int.ext" -out intermediate.pem
openssl ecparam -name prime256v1 -genkey -noout -out leaf-key.pem
openssl req -new -key leaf-key.pem -subj "/CN=www.gddq.gov.cn.test" -out "$tmp/leaf.csr"
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$SAN" > "$tmp/leaf.ext"
openssl x509 -req -in "$tmp/leaf.csr" -CA intermediate.pem -CAkey "$tmp/int.key" -CAcreateserial -days 36500 -sha256 -extfile "$tmp/leaf.ext" -out leaf.pem
rm -rf "$tmp" ca.srl intermediate.srl
