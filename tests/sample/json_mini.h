// json_mini.h - a strict little JSON reader for the tests: parsing the reports
// of prism-sample both checks that they are valid JSON (RFC 8259) and lets the
// tests look values up.
#ifndef PRISM_TESTS_SAMPLE_JSON_MINI_H
#define PRISM_TESTS_SAMPLE_JSON_MINI_H

#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace json_mini {

struct Value {
  enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
  bool b = false;
  double num = 0;
  std::string str;
  std::vector<Value> arr;
  std::map<std::string, Value> obj;

  const Value &operator[](const std::string &k) const {
    auto it = obj.find(k);
    if (kind != Object || it == obj.end())
      throw std::runtime_error("no key '" + k + "'");
    return it->second;
  }
  const Value &operator[](std::size_t i) const {
    if (kind != Array || i >= arr.size())
      throw std::runtime_error("no index " + std::to_string(i));
    return arr[i];
  }
  bool has(const std::string &k) const { return kind == Object && obj.count(k); }
  bool is_null() const { return kind == Null; }
  double number() const {
    if (kind != Number)
      throw std::runtime_error("not a number");
    return num;
  }
  std::size_t size() const { return kind == Array ? arr.size() : obj.size(); }
};

class Parser {
public:
  explicit Parser(const std::string &s) : s_(s) {}
  Value parse() {
    Value v = value();
    ws();
    if (i_ != s_.size())
      fail("trailing characters");
    return v;
  }

private:
  const std::string &s_;
  std::size_t i_ = 0;

  [[noreturn]] void fail(const std::string &what) {
    throw std::runtime_error("JSON: " + what + " at offset " + std::to_string(i_));
  }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' ||
                              s_[i_] == '\t'))
      i_++;
  }
  bool lit(const char *w) {
    std::string t(w);
    if (s_.compare(i_, t.size(), t) == 0) {
      i_ += t.size();
      return true;
    }
    return false;
  }
  Value value() {
    ws();
    if (i_ >= s_.size())
      fail("unexpected end");
    Value v;
    char c = s_[i_];
    if (c == '{') {
      v.kind = Value::Object;
      i_++;
      ws();
      if (i_ < s_.size() && s_[i_] == '}') {
        i_++;
        return v;
      }
      while (true) {
        ws();
        if (i_ >= s_.size() || s_[i_] != '"')
          fail("expected a key");
        std::string k = string();
        ws();
        if (i_ >= s_.size() || s_[i_] != ':')
          fail("expected ':'");
        i_++;
        if (v.obj.count(k))
          fail("duplicate key '" + k + "'");
        v.obj[k] = value();
        ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          i_++;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '}') {
          i_++;
          return v;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.kind = Value::Array;
      i_++;
      ws();
      if (i_ < s_.size() && s_[i_] == ']') {
        i_++;
        return v;
      }
      while (true) {
        v.arr.push_back(value());
        ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          i_++;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == ']') {
          i_++;
          return v;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      v.kind = Value::String;
      v.str = string();
      return v;
    }
    if (lit("true")) {
      v.kind = Value::Bool;
      v.b = true;
      return v;
    }
    if (lit("false")) {
      v.kind = Value::Bool;
      return v;
    }
    if (lit("null"))
      return v;
    // number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    std::size_t st = i_;
    if (s_[i_] == '-')
      i_++;
    if (i_ < s_.size() && s_[i_] == '0')
      i_++;
    else if (i_ < s_.size() && s_[i_] >= '1' && s_[i_] <= '9')
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])))
        i_++;
    else
      fail("invalid value");
    if (i_ < s_.size() && s_[i_] == '.') {
      i_++;
      if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_])))
        fail("digits expected after '.'");
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])))
        i_++;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      i_++;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-'))
        i_++;
      if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_])))
        fail("exponent digits expected");
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])))
        i_++;
    }
    v.kind = Value::Number;
    v.num = std::strtod(s_.substr(st, i_ - st).c_str(), nullptr);
    return v;
  }
  std::string string() {
    i_++; // opening quote
    std::string r;
    while (true) {
      if (i_ >= s_.size())
        fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"')
        return r;
      if (c < 0x20)
        fail("control character in a string");
      if (c != '\\') {
        r += static_cast<char>(c);
        continue;
      }
      if (i_ >= s_.size())
        fail("bad escape");
      char e = s_[i_++];
      switch (e) {
      case '"': r += '"'; break;
      case '\\': r += '\\'; break;
      case '/': r += '/'; break;
      case 'b': r += '\b'; break;
      case 'f': r += '\f'; break;
      case 'n': r += '\n'; break;
      case 'r': r += '\r'; break;
      case 't': r += '\t'; break;
      case 'u': {
        if (i_ + 4 > s_.size())
          fail("bad \\u escape");
        unsigned cp = std::stoul(s_.substr(i_, 4), nullptr, 16);
        i_ += 4;
        if (cp < 0x80)
          r += static_cast<char>(cp);
        else
          r += '?';
        break;
      }
      default: fail("bad escape");
      }
    }
  }
};

inline Value parse(const std::string &s) { return Parser(s).parse(); }

} // namespace json_mini

#endif // PRISM_TESTS_SAMPLE_JSON_MINI_H
