// APL data-binding expressions: "${...}" inside strings, evaluated in a scope.
//
// The subset the skill's documents use: numbers, 'strings', true/false/null, names
// and member access (a.b.c), @resources, function calls (Math.*), unary ! and -,
// * / %, + - (+ joins strings), comparisons, == !=, && ||, and ?: .
"use strict";

const AplExpr = (() => {
  const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|'([^']*)'|"([^"]*)"|(@[A-Za-z_]\w*)|([A-Za-z_]\w*)|(==|!=|<=|>=|&&|\|\||[-+*/%<>!?:().,\[\]]))/y;
  const EMBEDDED = /\$\{((?:[^{}'"]|'[^']*'|"[^"]*")*)\}/g;
  const WHOLE = /^\s*\$\{((?:[^{}'"]|'[^']*'|"[^"]*")*)\}\s*$/;
  const cache = new Map();

  function tokenize(source) {
    const tokens = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < source.length) {
      const at = TOKEN.lastIndex;
      const m = TOKEN.exec(source);
      if (!m) {
        if (source.slice(at).trim() === "") break;
        throw new Error(`cannot read expression at: ${source.slice(at)}`);
      }
      if (m[1] !== undefined) tokens.push({ t: "num", v: Number(m[1]) });
      else if (m[2] !== undefined) tokens.push({ t: "str", v: m[2] });
      else if (m[3] !== undefined) tokens.push({ t: "str", v: m[3] });
      else if (m[4] !== undefined) tokens.push({ t: "res", v: m[4].slice(1) });
      else if (m[5] !== undefined) tokens.push({ t: "name", v: m[5] });
      else tokens.push({ t: "op", v: m[6] });
    }
    return tokens;
  }

  function parse(source) {
    const tokens = tokenize(source);
    let i = 0;
    const peek = () => tokens[i];
    const isOp = (v) => tokens[i] && tokens[i].t === "op" && tokens[i].v === v;
    const expect = (v) => {
      if (!isOp(v)) throw new Error(`expected ${v} in ${source}`);
      i += 1;
    };
    const binary = (next, ops) => () => {
      let left = next();
      while (tokens[i] && tokens[i].t === "op" && ops.includes(tokens[i].v)) {
        const op = tokens[i++].v;
        left = { k: "bin", op, a: left, b: next() };
      }
      return left;
    };
    function primary() {
      const tok = tokens[i++];
      if (!tok) throw new Error(`unexpected end of ${source}`);
      if (tok.t === "num" || tok.t === "str") return { k: "lit", v: tok.v };
      if (tok.t === "res") return { k: "res", n: tok.v };
      if (tok.t === "name") {
        if (tok.v === "true") return { k: "lit", v: true };
        if (tok.v === "false") return { k: "lit", v: false };
        if (tok.v === "null") return { k: "lit", v: null };
        return { k: "name", n: tok.v };
      }
      if (tok.v === "(") {
        const inner = ternary();
        expect(")");
        return inner;
      }
      throw new Error(`unexpected ${tok.v} in ${source}`);
    }
    function postfix() {
      let node = primary();
      for (;;) {
        if (isOp(".")) {
          i += 1;
          const name = tokens[i++];
          node = { k: "member", o: node, p: { k: "lit", v: name.v } };
        } else if (isOp("[")) {
          i += 1;
          const index = ternary();
          expect("]");
          node = { k: "member", o: node, p: index };
        } else if (isOp("(")) {
          i += 1;
          const args = [];
          while (!isOp(")")) {
            args.push(ternary());
            if (isOp(",")) i += 1;
          }
          expect(")");
          node = { k: "call", f: node, args };
        } else {
          return node;
        }
      }
    }
    function unary() {
      if (isOp("!") || isOp("-") || isOp("+")) {
        const op = tokens[i++].v;
        return { k: "un", op, a: unary() };
      }
      return postfix();
    }
    const product = binary(unary, ["*", "/", "%"]);
    const sum = binary(product, ["+", "-"]);
    const compare = binary(sum, ["<", ">", "<=", ">="]);
    const equal = binary(compare, ["==", "!="]);
    const and = binary(equal, ["&&"]);
    const or = binary(and, ["||"]);
    function ternary() {
      const test = or();
      if (!isOp("?")) return test;
      i += 1;
      const yes = ternary();
      expect(":");
      return { k: "cond", c: test, t: yes, f: ternary() };
    }
    const tree = ternary();
    if (i < tokens.length) throw new Error(`unexpected ${peek().v} in ${source}`);
    return tree;
  }

  const truthy = (v) => !(v === false || v === null || v === undefined || v === 0 || v === "" || Number.isNaN(v));

  function evaluate(node, ctx) {
    switch (node.k) {
      case "lit":
        return node.v;
      case "res":
        return ctx.resource(node.n);
      case "name":
        return ctx.scope[node.n];
      case "member": {
        const object = evaluate(node.o, ctx);
        const key = evaluate(node.p, ctx);
        return object === null || object === undefined ? null : object[key];
      }
      case "call": {
        const fn = evaluate(node.f, ctx);
        const args = node.args.map((a) => evaluate(a, ctx));
        return typeof fn === "function" ? fn(...args) : null;
      }
      case "un": {
        const v = evaluate(node.a, ctx);
        if (node.op === "!") return !truthy(v);
        return node.op === "-" ? -Number(v) : Number(v);
      }
      case "cond":
        return truthy(evaluate(node.c, ctx)) ? evaluate(node.t, ctx) : evaluate(node.f, ctx);
      case "bin":
        return binaryValue(node, ctx);
      default:
        throw new Error(`unknown node ${node.k}`);
    }
  }

  function binaryValue(node, ctx) {
    if (node.op === "&&") {
      const a = evaluate(node.a, ctx);
      return truthy(a) ? evaluate(node.b, ctx) : a;
    }
    if (node.op === "||") {
      const a = evaluate(node.a, ctx);
      return truthy(a) ? a : evaluate(node.b, ctx);
    }
    const a = evaluate(node.a, ctx);
    const b = evaluate(node.b, ctx);
    switch (node.op) {
      case "+":
        return typeof a === "string" || typeof b === "string" ? text(a) + text(b) : a + b;
      case "-": return a - b;
      case "*": return a * b;
      case "/": return a / b;
      case "%": return a % b;
      case "<": return a < b;
      case ">": return a > b;
      case "<=": return a <= b;
      case ">=": return a >= b;
      case "==": return a === b;
      case "!=": return a !== b;
      default: throw new Error(`unknown operator ${node.op}`);
    }
  }

  function text(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "number" && !Number.isInteger(v)) return String(Math.round(v * 1e6) / 1e6);
    return String(v);
  }

  function compiled(source) {
    if (!cache.has(source)) cache.set(source, parse(source));
    return cache.get(source);
  }

  /** A property value with its bindings worked out: "${x}" alone keeps x's type. */
  function value(raw, ctx) {
    if (typeof raw !== "string") return raw;
    if (/^@[A-Za-z_]\w*$/.test(raw)) return ctx.resource(raw.slice(1));
    const whole = WHOLE.exec(raw);
    if (whole) return evaluate(compiled(whole[1]), ctx);
    if (!raw.includes("${")) return raw;
    return raw.replace(EMBEDDED, (_, source) => text(evaluate(compiled(source), ctx)));
  }

  const MATH = Object.freeze({
    floor: Math.floor,
    ceil: Math.ceil,
    round: Math.round,
    min: Math.min,
    max: Math.max,
    abs: Math.abs,
  });

  return { value, truthy, text, parse, MATH };
})();

if (typeof module !== "undefined") module.exports = AplExpr;
