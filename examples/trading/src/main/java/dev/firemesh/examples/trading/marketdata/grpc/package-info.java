/**
 * Market data on gRPC: {@code firemesh.trading.MarketData/StreamQuotes}, a server-streaming call
 * described by hand ({@link dev.firemesh.examples.trading.marketdata.grpc.MarketDataApi}; messages
 * are JSON, so no protoc step is needed), served by grpc-netty on the project's one Netty.
 */
package dev.firemesh.examples.trading.marketdata.grpc;
