/* 中文检索修正（巡察知识库）。
 *
 * Material for MkDocs 的检索 worker 按索引里的词把中文查询切开，但它的切分循环从不考虑一段汉字的
 * 最后一个字（循环条件是 j < query.length）：输入「三重一大」只会查「三」「重」「一」，输入「公务用车」
 * 只会查「公务」「用」。这里在查询发给 worker 之前，给每段汉字末尾补一个占位字「〇」，这样真正的最后
 * 一个字也能参与切分；占位字本身永远不会成为检索词（切分同样不考虑最后一个字）。输入框里的文字不变。
 *
 * 只改发给检索 worker 的查询消息（type 2），其他消息原样转发。从文件夹打开时 Worker 是 iframe-worker
 * 的替身，同样适用。浏览器测试 tests/e2e/test_site_browser.py 检查这个效果。
 */
(function () {
  "use strict"
  var QUERY = 2
  var HAN = /\p{Script=Han}+/gu
  var proto = window.Worker && window.Worker.prototype
  if (!proto || proto.__xunchaPatched) return
  var post = proto.postMessage
  proto.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      var data = message.data.replace(HAN, function (run) { return run + "\u3007" })
      message = { type: message.type, data: data }
      arguments[0] = message
    }
    return post.apply(this, arguments)
  }
  proto.__xunchaPatched = true
})()
